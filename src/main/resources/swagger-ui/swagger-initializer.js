// Gatehouse's Swagger UI configuration, served in place of the web jar's own file (dev.gatehouse.openapi): the
// API's OpenAPI document, found relative to this page (so a proxy's path prefix is kept), and no online validator
// (the document is not sent anywhere).
window.onload = function () {
  window.ui = SwaggerUIBundle({
    url: new URL("../v3/api-docs", document.baseURI).href,
    dom_id: "#swagger-ui",
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    plugins: [SwaggerUIBundle.plugins.DownloadUrl],
    layout: "StandaloneLayout",
    validatorUrl: "none"
  });
};
