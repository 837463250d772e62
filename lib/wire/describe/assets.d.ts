// swagger-ui-dist's files, imported as text (esbuild's `with { type: 'text' }`) to be served by the docs function.
declare module 'swagger-ui-dist/swagger-ui-bundle.js' {
  const text: string;
  export default text;
}
declare module 'swagger-ui-dist/swagger-ui.css' {
  const text: string;
  export default text;
}
