"""Choices shared by the models, the status rule and the filters."""

from django.db import models
from django.utils.functional import lazy
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _


class Level(models.IntegerChoices):
    PRIMARY = 1, _("一级")
    SECONDARY = 2, _("二级")


class Kind(models.TextChoices):
    BINDING = "binding", _("约束性")
    EXPECTED = "expected", _("预期性")
    # 004 states no type for the 二级 indicators; their kind is blank ("未标注").


class Direction(models.TextChoices):
    GTE = "gte", _("≥ 达到/以上")
    LTE = "lte", _("≤ 控制在/下降至")
    APPROX = "approx", _("≈ 左右")
    NATIONAL_QUOTA = "national_quota", _("国家下达目标内")
    QUALITATIVE = "qualitative", _("定性")


class Status(models.TextChoices):
    MET = "met", _("达标")
    ON_TRACK = "on_track", _("正常")
    BEHIND = "behind", _("滞后")
    NO_DATA = "no_data", _("无数据")


# Worst first: an indicator takes the worst status of its measures.
STATUS_SEVERITY = {Status.BEHIND: 0, Status.NO_DATA: 1, Status.ON_TRACK: 2, Status.MET: 3}

CHAPTERS = {
    1: _("着力建设全国乃至国际生态文明高地"),
    2: _("深度融入新发展格局"),
    3: _("着力培育创新发展新动能"),
    4: _("加快建设现代产业新体系"),
    5: _("努力推动经济社会数字化转型"),
    6: _("持续优化高质量的空间动力系统"),
    7: _("统筹新型城镇化与乡村振兴双轮驱动"),
    8: _("全面构建发展保障新体制"),
    9: _("构建国家向西向南开放新支撑"),
    10: _("构建战略性网络型基础设施体系"),
    11: _("向高品质生活不断迈进"),
    12: _("建设更高水平的平安青海"),
    13: _("提升社会治理现代化水平"),
    14: _("建立保障规划实施新机制"),
}
_NUMERALS = "一二三四五六七八九十"


def _chapter_label(number: int) -> str:
    # 004 numbers its chapters （一）…（十四）; in English they are numbered with digits.
    if (get_language() or "zh-hans").startswith("zh"):
        tens, ones = divmod(number, 10)
        numeral = ("十" if tens else "") + (_NUMERALS[ones - 1] if ones else "")
    else:
        numeral = str(number)
    return gettext("（%(numeral)s）%(title)s") % {"numeral": numeral, "title": CHAPTERS[number]}


# Lazy: CHAPTER_CHOICES is built at import time and shown in the request's language.
chapter_label = lazy(_chapter_label, str)


CHAPTER_CHOICES = [(n, chapter_label(n)) for n in CHAPTERS]

PLAN_START_YEAR = 2020  # the base year of the 十四五 plan
PLAN_END_YEAR = 2025
MIDTERM_YEAR = 2023  # 中期评估
