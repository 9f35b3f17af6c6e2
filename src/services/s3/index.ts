export { createS3Handler } from './handler.js';
export { writeS3Error } from './respond.js';
export { S3_OPERATIONS } from './operations.js';
