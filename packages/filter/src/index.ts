export type * from "./ast.js";
export { FilterSyntaxError, FilterTypeError, type FilterError, type FilterErrorOptions } from "./errors.js";
export { parseFilterExpression, type FilterExpression } from "./filter-expression.js";
export type { IrNode, IrDataType, IrReference, ReferenceRoot, StringLiteralType } from "./ir.js";
export {
  compileStarGlob,
  isStarGlobPattern,
  isStarAtEndOnlyGlobPattern,
  normalizeStarGlobPattern,
  starGlobMatch,
} from "./glob.js";
export { tokenize, type Token, type TokenKind } from "./lexer.js";
export { compileFilter, type FilterEvaluator } from "./compile-filter.js";
export type {
  ContextProvider,
  FieldLayout,
  FieldSlot,
  FieldType,
  FieldValue,
  IntegerElementType,
} from "./field-layout.js";
export {
  compileEventRule,
  DEFAULT_LOG_LEVEL,
  type EventRuleSpec,
  LOG_LEVEL_NAMES,
  parseLogLevel,
  SYMBOL_NAME_LEN,
  splitEventNames,
  splitExclusions,
  validateExclusions,
} from "./event-rule.js";
