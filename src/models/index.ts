export { getServiceModel } from './load.js';
export { validateInput } from './validate.js';
export { modelPattern, javaToJsPattern } from './regex.js';
export type { ServiceModel, OperationModel, ShapeModel, MemberModel, ShapeRef, ShapeType, ServiceMetadata } from './types.js';
