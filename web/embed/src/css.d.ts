/**
 * Stylesheets are imported as minified text (see scripts/build-web.ts) and injected into the
 * widget's shadow root.
 */
declare module '*.css' {
  const css: string;
  export default css;
}
