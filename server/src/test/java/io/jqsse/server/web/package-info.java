/**
 * The built-in web page ({@code GET /}) tested in a real headless Chromium driven by Selenium: the page's
 * JavaScript port of the client rules in {@code docs/events.md} must keep the same view as
 * {@code GET /store?path=F} while the test writes over HTTP and through the page's own form.
 */
package io.jqsse.server.web;
