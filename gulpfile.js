// The design card's icon step: copies the SVG icons next to the compiled node and credential.
// `n8n-node build` copies them too; keeping this task makes `dist/` complete with plain `tsc` as well.
const { src, dest } = require('gulp');

function buildIcons() {
	return src(['icons/*.svg'], { encoding: false }).pipe(dest('dist/icons'));
}

exports['build:icons'] = buildIcons;
