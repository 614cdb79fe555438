"""The smoke test's requests (scripts/smoke.sh): a customer across two web machines.

Usage: smoke_check.py URL_A URL_B MAIL_DIR. Standard library only; exits non-zero with
the step that failed.
"""

import gzip
import http.cookiejar
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

USERNAME, PASSWORD = "ana", "Leiria-2026!"  # the demo persona (balcao/accounts/demo.py)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Forms(HTMLParser):
    """Every form's action and its inputs' values; stylesheets' addresses."""

    def __init__(self):
        super().__init__()
        self.forms: list[tuple[str, dict[str, str]]] = []
        self.stylesheets: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.forms.append((a.get("action") or "", {}))
        elif tag in ("input", "textarea") and self.forms and a.get("name"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            self.forms[-1][1][a["name"]] = a.get("value") or ""
        elif tag == "link" and a.get("rel") == "stylesheet":
            self.stylesheets.append(a["href"])


def parse(html: str) -> Forms:
    forms = Forms()
    forms.feed(html)
    return forms


class Browser:
    """One customer's cookies, shared by both machines (same host name, other port)."""

    def __init__(self):
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirect
        )

    def request(self, url, data=None, headers=None):
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        req = urllib.request.Request(url, data=body, headers=headers or {})
        try:
            with self.opener.open(req, timeout=20) as response:
                return response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read()


def check(condition, step):
    if not condition:
        print(f"smoke: FAILED at: {step}")
        sys.exit(1)
    print(f"smoke: ok  {step}")


def form_with(html: str, field: str):
    for action, fields in parse(html).forms:
        if field in fields:
            return action, fields
    return None, None


def main(a: str, b: str, mail_dir: str) -> None:
    browser = Browser()
    status, _, body = browser.request(f"{a}/conta/entrar/")
    check(status == 200, "the login page on machine A")
    _, fields = form_with(body.decode(), "csrfmiddlewaretoken")
    fields.update(username=USERNAME, password=PASSWORD)
    status, headers, _ = browser.request(f"{a}/conta/entrar/", fields, {"Referer": a})
    check(status == 302 and "/conta/entrar" not in headers["Location"], "signed in on A")

    status, headers, body = browser.request(f"{b}/")
    check(status == 200 and b"Sair" in body, "still signed in on machine B (shared session)")
    for name, value in {
        "Content-Security-Policy": "default-src 'self'",
        "X-Frame-Options": "DENY",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
        "Permissions-Policy": "camera=()",
        "Cache-Control": "no-store",
    }.items():
        check(value in (headers.get(name) or ""), f"header {name}")
    check(len(headers.get("X-Request-ID", "")) >= 8, "header X-Request-ID")

    css = parse(body.decode()).stylesheets
    check(bool(css), "the page links its stylesheet")
    status, headers, content = browser.request(
        urllib.parse.urljoin(f"{b}/", css[0]), headers={"Accept-Encoding": "gzip"}
    )
    check(status == 200, f"the CSS {css[0]}")
    check("max-age=31536000" in headers.get("Cache-Control", ""), "the CSS cached a year")
    check(headers.get("Content-Encoding") == "gzip" and gzip.decompress(content), "CSS gzipped")

    # A reading on machine B: its receipt e-mail is sent by the task worker of machine A.
    before = set(Path(mail_dir).glob("*.eml")) if Path(mail_dir).exists() else set()
    status, headers, _ = browser.request(f"{b}/leituras/")
    check(status == 302, "Comunicar leituras goes to the chosen contract")
    submit = urllib.parse.urljoin(f"{b}/", headers["Location"])
    status, _, body = browser.request(submit)
    action, fields = form_with(body.decode(), "index")
    check(status == 200 and fields is not None, "the reading form")
    fields["index"] = "99999"
    for _ in range(2):  # a second post confirms the warnings an unusual index shows
        status, headers, body = browser.request(
            urllib.parse.urljoin(submit, action or submit), fields, {"Referer": submit}
        )
        if status == 302:
            break
        action, fields = form_with(body.decode(), "index")
        check(fields is not None and "accept_warnings" in body.decode(), "the warnings step")
        fields["accept_warnings"] = "on"
    check(status == 302 and "/leituras/" in headers["Location"], "the reading was received")

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        sent = set(Path(mail_dir).glob("*.eml")) - before if Path(mail_dir).exists() else set()
        if sent:
            break
        time.sleep(1)
    check(bool(sent), "the worker sent the receipt e-mail")
    status, _, body = browser.request(f"{a}/saude")
    check(status == 200 and b'"status": "ok"' in body, "/saude on A after the task")


if __name__ == "__main__":
    main(*sys.argv[1:4])
