export { createS3Handler } from './handler.js';
export { writeS3Error } from './respond.js';
