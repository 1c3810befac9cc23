// The staff side: small enhancements; every page works without this file.
(function () {
  "use strict";
}());
