/** Resource → operation map; the router dispatches on it. */
export type TikTokType = {
	video: 'uploadDraft' | 'directPost' | 'checkStatus' | 'cancel' | 'get' | 'getMany';
	photo: 'post';
	user: 'getUserInfo' | 'getCreatorInfo';
};
