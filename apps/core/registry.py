"""Extension points: each app contributes navigation entries and home-page widgets.

An app lists them in its own ``nav.py`` (``NAV_ITEMS``) and ``home.py`` (``widgets(request)``),
so adding a module never means editing a shared template.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module
from typing import Any

from django.apps import apps as django_apps
from django.urls import NoReverseMatch, resolve, reverse


@dataclass(frozen=True)
class NavItem:
    """A navigation entry. It is shown exactly when its page would open for the user (the
    page's ``@policy_view`` gate, asked through the policy); ``when`` — a policy predicate —
    narrows it further where a page opens for more users than should see the link."""

    label: str  # may be a lazy translation
    url_name: str
    icon: str = "circle"
    when: Callable[[Any], bool] | None = None
    order: int = 100
    children: tuple["NavItem", ...] = field(default_factory=tuple)

    def visible_to(self, user) -> bool:
        if self.when is not None and not self.when(user):
            return False
        declared = _page_policy(self.url_name)
        return declared is not None and declared.opens_for(user)

    def url(self) -> str | None:
        try:
            return reverse(self.url_name)
        except NoReverseMatch:
            return None


def _page_policy(url_name: str):
    from apps.core.pages import page_policy_of

    url = NavItem.url(NavItem("", url_name))
    if url is None:
        return None
    return page_policy_of(resolve(url).func)


def _app_modules(suffix: str):
    for config in django_apps.get_app_configs():
        if not config.name.startswith("apps."):
            continue
        try:
            yield import_module(f"{config.name}.{suffix}")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.{suffix}":
                raise


def nav_items(user) -> list[dict]:
    items = []
    for module in _app_modules("nav"):
        for item in getattr(module, "NAV_ITEMS", ()):
            if not item.visible_to(user):
                continue
            url = item.url()
            if url is None:
                continue
            children = [
                {"label": c.label, "url": c.url(), "icon": c.icon}
                for c in item.children
                if c.visible_to(user) and c.url()
            ]
            items.append(
                {
                    "label": item.label,
                    "url": url,
                    "icon": item.icon,
                    "order": item.order,
                    "children": children,
                }
            )
    return sorted(items, key=lambda i: i["order"])


def home_widgets(request) -> list[dict]:
    """Widgets are dicts: title, value, unit, url, icon, note; each app decides per role."""
    widgets: list[dict] = []
    for module in _app_modules("home"):
        fn = getattr(module, "widgets", None)
        if fn:
            widgets.extend(fn(request))
    return widgets
