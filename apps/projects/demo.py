"""Demo library generator (filled in later)."""


def load_demo_library(*, campaign) -> str:
    return "暂无"
