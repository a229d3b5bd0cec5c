/**
 * TikTok's fail_reason values (docs/tiktok-api.md#post-status) in words: Check Status's
 * fail_reason_hint and the TikTok Trigger's reason_hint on post.publish.failed.
 */
export const FAIL_REASONS: Record<string, string> = {
	file_format_check_failed: 'TikTok does not accept this file format (use MP4, MOV or WebM).',
	duration_check_failed: "The video is longer or shorter than this creator's allowed duration.",
	frame_rate_check_failed: 'The frame rate is outside what TikTok accepts.',
	picture_size_check_failed: 'The picture size is outside 360–4096 px.',
	internal: 'A TikTok internal error: post again.',
	video_pull_failed: 'TikTok could not download the video URL (unreachable, redirect or timeout).',
	photo_pull_failed: 'TikTok could not download a photo URL (unreachable, redirect or timeout).',
	publish_cancelled: 'The post was cancelled.',
	auth_removed: 'The creator removed the app’s access while the post was processing.',
	spam_risk_too_many_posts: 'The creator reached the daily post limit.',
	spam_risk_user_banned_from_posting: 'TikTok does not allow this account to post now.',
	spam_risk_text: 'TikTok flagged the caption text.',
	spam_risk: 'TikTok flagged the post as spam risk.',
};

/** Photo posts fail for photo reasons: the video wording would send the user the wrong way. */
export const PHOTO_FAIL_REASONS: Record<string, string> = {
	file_format_check_failed: 'TikTok accepts JPEG or WebP photos only (PNG and others are refused).',
	picture_size_check_failed:
		'A photo is too large: TikTok takes at most 1080p and 20 MB per photo.',
	photo_pull_failed: FAIL_REASONS.photo_pull_failed,
};
