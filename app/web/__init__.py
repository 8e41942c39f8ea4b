"""The web app for people (`/`, `/signin`, `/keys`, …): server-rendered pages on the same flows
and services as the API. `site.install` adds them to the app; `templates/` and `static/` hold
their HTML and CSS (nothing from a CDN, nothing downloaded at run time)."""
