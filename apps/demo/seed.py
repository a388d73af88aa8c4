"""The demo library, loaded by ``load_seed_data`` after the projects seed (this app comes
after the domain apps in INSTALLED_APPS). Outside demo mode it loads nothing and says so."""

from apps.demo.library import load_demo_library
from apps.projects.seed import seeded_campaign


def load(*, stdout) -> None:
    report = load_demo_library(campaign=seeded_campaign())
    stdout.write(f"  演示项目库：{report}")
