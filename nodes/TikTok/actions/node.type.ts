/** Resource → operation map; the router dispatches on it. */
export type TikTokType = {
	video: 'uploadDraft' | 'checkStatus';
	user: 'getUserInfo';
};
