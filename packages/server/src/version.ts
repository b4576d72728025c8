/** The version of @ketrew/server (kept equal to package.json's by a test). */
export const SERVER_VERSION = '0.1.0';
