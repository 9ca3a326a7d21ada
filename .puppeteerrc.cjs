// Puppeteer comes with memlab (the leak analysis) and would download a Chrome of its own at install;
// Tally drives Debian's browsers through Playwright, so no download: a plain `npm ci` works offline of Google's CDN.
module.exports = { skipDownload: true };
