"""Every URL of the portal asks an anonymous visitor to sign in, except the public pages."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

# Pages that anyone may open without signing in (by URL name, namespaced).
PUBLIC_URL_NAMES = {
    "set_language",
    "accounts:login",
    "accounts:register",
    "accounts:register_access",
    "accounts:confirm_email",
    "accounts:resend_confirmation",
    "accounts:password_reset",
    "accounts:password_reset_done",
    "accounts:password_reset_confirm",
    "accounts:confirm_email_change",
    "portal:accessibility",
    "portal:terms",
}


def _walk(patterns, namespace=None, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or namespace
            if ns == "admin":
                continue  # the admin has its own login, tested by its own checks
            yield from _walk(entry.url_patterns, ns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern) and entry.name:
            name = f"{namespace}:{entry.name}" if namespace else entry.name
            yield name, entry


def _example_url(name, pattern):
    converters = pattern.pattern.converters
    kwargs = {}
    for key, converter in converters.items():
        kind = type(converter).__name__
        kwargs[key] = {
            "IntConverter": 1,
            "UUIDConverter": "00000000-0000-0000-0000-000000000000",
        }.get(kind, "x1")
    return reverse(name, kwargs=kwargs)


ALL_URLS = sorted(set(_walk(get_resolver().url_patterns)), key=lambda item: item[0])


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "pattern"), ALL_URLS, ids=[name for name, _ in ALL_URLS])
def test_anonymous_visitor_is_asked_to_sign_in(client, name, pattern):
    url = _example_url(name, pattern)
    response = client.get(url)
    if name in PUBLIC_URL_NAMES:
        assert response.status_code != 302 or "/conta/entrar/" not in response["Location"]
    else:
        assert response.status_code == 302, f"{name} ({url}) answered {response.status_code}"
        assert response["Location"].startswith(reverse("accounts:login"))


def test_public_allowlist_names_real_urls():
    names = {name for name, _ in ALL_URLS}
    assert names >= PUBLIC_URL_NAMES
