export { detailsSinkClass } from "./details.js";
