"""An approximate name for the device behind a request ("Chrome em Windows")."""

import re

from django.utils.translation import gettext as _

# Order matters: Edge and Opera say "Chrome" too, Chrome says "Safari".
_BROWSERS = (
    (r"Edg(e|A|iOS)?/", "Edge"),
    (r"OPR/|Opera", "Opera"),
    (r"Firefox/|FxiOS/", "Firefox"),
    (r"SamsungBrowser/", "Samsung Internet"),
    (r"Chrome/|CriOS/|Chromium/", "Chrome"),
    (r"Safari/", "Safari"),
)
_SYSTEMS = (
    (r"Windows", "Windows"),
    (r"Android", "Android"),
    (r"iPhone|iPad|iPod", "iOS"),
    (r"Mac OS X|Macintosh", "macOS"),
    (r"CrOS", "ChromeOS"),
    (r"Linux", "Linux"),
)


def describe_user_agent(user_agent: str) -> str:
    """ "Chrome em Windows", "Firefox em Linux", or "Dispositivo desconhecido"."""
    user_agent = user_agent or ""
    browser = next((name for pattern, name in _BROWSERS if re.search(pattern, user_agent)), "")
    system = next((name for pattern, name in _SYSTEMS if re.search(pattern, user_agent)), "")
    if browser and system:
        return _("%(browser)s em %(system)s") % {"browser": browser, "system": system}
    return browser or system or _("Dispositivo desconhecido")


def describe_request(request) -> str:
    if request is None:
        return ""
    return describe_user_agent(request.META.get("HTTP_USER_AGENT", ""))[:80]
