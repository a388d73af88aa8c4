"""The national investment project code (项目代码): GB/T 40058-2021
全国固定资产投资项目代码编码规范.

What was found, and where (no copy of the standard's text was reachable from here):

* Structure — FOUND. "项目代码共24位，由4位时间代码，6位地区代码，2位中央业务指导部门代码，
  2位项目类型代码，5位随机码和1位校验码，5段依次组成" (NDRC's Q&A on the release of
  GB/T 40058-2021, as republished on zidonghua.com.cn), and
  "每段代码之间由短横线“-”连接，共24位" (湖北省发改委, notice on switching to the new codes,
  2021-01, quoting 发改投资〔2020〕1439号《固定资产投资项目代码管理规范》). So a code is
  ``TTTT-RRRRRR-DD-PP-NNNNNC``: 20 digits in 5 segments, the last segment the 5-digit random
  part followed by the check character; 24 characters with the four hyphens. The standard's
  table of contents (4.2 时间代码 … 4.7 校验码) matches. 1439号 took effect 2020-11-01; 青海
  was in the second batch, switched by 2020-11-30.
* Normative references — FOUND: the standard cites only GB/T 10113-2003 (classification and
  coding terms); it does *not* cite GB/T 17710 (ISO 7064). So the check rule is defined in
  4.7 itself, whose text could not be read here.
* Check character — INFERRED. Codes in use are all-digit, so the check is a single digit.
  We apply ISO/IEC 7064 MOD 11,10 (GB/T 17710's hybrid system for one numeric check digit)
  over the 19 preceding digits. This is an assumption, not the standard's text; because a
  wrong guess would refuse genuine codes, ``settings.QH_PROJECT_CODE_CHECK_DIGIT`` (default on)
  switches the check off without touching the other rules.
* Time code — INFERRED in part. Codes of the current scheme as seen in published approvals
  start with year and month, ``YYMM`` (e.g. ``2203-…`` for March 2022). Codes of the scheme
  before 1439号 (the 2017 暂行办法, still carried by older projects) start with the 4-digit year
  and end with a 6-digit serial without a check digit; we accept those for the years
  2014–2020 and cannot check their last digit. The two readings never collide: a 4-digit
  year 2014–2026 read as ``YYMM`` has a month above 12.
* Region code — GB/T 2260 code of the area of the authority that assigned the code (审批、
  核准、备案机关所在地). For Qinghai projects it starts with ``63``; the province (630000)
  may code a project anywhere in Qinghai, a 市州 or 县 authority codes projects of its area.
* Department and project-type codes — 2 digits each; their tables (4.4, 4.5) could not be read,
  so only their form is checked.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

HYPHENS = re.compile(r"[\s\-‐‑‒–—―－﹣]")
NEW_SCHEME_START = dt.date(2020, 11, 1)  # 发改投资〔2020〕1439号
OLD_SCHEME_FIRST_YEAR = 2014  # the online platform began coding projects in 2014/2015
QINGHAI_PREFIX = "63"
PROVINCE_CODE = "630000"


@dataclass(frozen=True)
class ProjectCode:
    time: str
    region: str
    department: str
    project_type: str
    tail: str  # the last segment: random part (+ check digit in the current scheme)
    year: int
    month: int | None  # None for the pre-2020 scheme (year only)

    @property
    def has_check_digit(self) -> bool:
        return self.month is not None

    def __str__(self) -> str:
        return "-".join((self.time, self.region, self.department, self.project_type, self.tail))


def iso7064_mod11_10(digits: str) -> int:
    """The check digit ISO/IEC 7064 MOD 11,10 appends to ``digits``."""
    p = 10
    for ch in digits:
        s = (p + int(ch)) % 10 or 10
        p = (s * 2) % 11
    return (11 - p) % 10


def normalise(value: str) -> str:
    """The code as 20 digits, hyphens, spaces and full-width dashes removed."""
    return HYPHENS.sub("", (value or "").strip())


def parse(value: str, *, today: dt.date | None = None) -> ProjectCode:
    """Read and check a code on its own (format, year, region of Qinghai, check digit)."""
    today = today or dt.date.today()
    digits = normalise(value)
    if not re.fullmatch(r"\d{20}", digits):
        raise ValidationError(
            _(
                "项目代码格式不正确：应为24位（含4个“-”），如 2203-630100-04-01-123451，"
                "即4位时间代码、6位地区代码、2位部门代码、2位项目类型代码、5位随机码和1位校验码。"
            ),
            code="code_format",
        )
    time, region, dept, ptype, tail = (
        digits[:4],
        digits[4:10],
        digits[10:12],
        digits[12:14],
        digits[14:],
    )
    yy, mm = int(time[:2]), int(time[2:])
    if 1 <= mm <= 12:
        year, month = 2000 + yy, mm
        if dt.date(year, month, 1) < NEW_SCHEME_START:
            raise ValidationError(
                _("项目代码的时间代码“%(time)s”不正确：现行代码自2020年11月起按“年年月月”赋码。")
                % {"time": time},
                code="code_year",
            )
        if (year, month) > (today.year, today.month):
            raise ValidationError(
                _("项目代码的时间代码“%(time)s”（%(year)s年%(month)s月）晚于本月，不可能已赋码。")
                % {"time": time, "year": year, "month": month},
                code="code_year",
            )
    else:
        year, month = int(time), None
        if not OLD_SCHEME_FIRST_YEAR <= year <= min(2020, today.year):
            raise ValidationError(
                _(
                    "项目代码的时间代码“%(time)s”不正确："
                    "应为赋码年月（如 2203 即2022年3月），或2014—2020年旧版代码的赋码年份。"
                )
                % {"time": time},
                code="code_year",
            )
    if not region.startswith(QINGHAI_PREFIX):
        raise ValidationError(
            _("项目代码的地区代码“%(region)s”不是青海省的行政区划代码（应以63开头）。")
            % {"region": region},
            code="code_region",
        )
    code = ProjectCode(time, region, dept, ptype, tail, year, month)
    if code.has_check_digit and settings.QH_PROJECT_CODE_CHECK_DIGIT:
        expected = iso7064_mod11_10(digits[:19])
        if int(digits[19]) != expected:
            raise ValidationError(
                _("项目代码“%(code)s”的校验码不正确，请核对是否有数字录入错误。") % {"code": code},
                code="code_check",
            )
    return code


def check_region(code: ProjectCode, region) -> None:
    """The code's region must be the province, or lie in the project's 市州 (and 县, if known).

    County codes change (湟中县 630122 → 湟中区 630106 in 2020), and a code keeps the code of
    the day it was assigned, so a county code we do not know is compared at the 市州 level only.
    """
    if region is None or code.region == PROVINCE_CODE:
        return
    from apps.reference.models import Region

    prefecture = region.prefecture() if hasattr(region, "prefecture") else None
    if prefecture is None:
        return
    if code.region[:4] != prefecture.code[:4]:
        raise ValidationError(
            _("项目代码的地区代码“%(region)s”不属于项目所在的%(display_name)s（%(value)sxx）。")
            % {
                "region": code.region,
                "display_name": prefecture.display_name,
                "value": prefecture.code[:4],
            },
            code="code_region_mismatch",
        )
    if (
        region.level == Region.Level.COUNTY
        and code.region != region.code
        and not code.region.endswith("00")
        and Region.objects.filter(code=code.region, level=Region.Level.COUNTY).exists()
    ):
        raise ValidationError(
            _(
                "项目代码的地区代码“%(region)s”是另一个县区的代码，与项目所在的%(display_name)s（%(code)s）不一致。"
            )
            % {"region": code.region, "display_name": region.display_name, "code": region.code},
            code="code_region_mismatch",
        )


def validate(value: str, *, region=None, today: dt.date | None = None) -> str:
    """Check a code for a project in ``region``; return it in the canonical hyphenated form."""
    code = parse(value, today=today)
    check_region(code, region)
    return str(code)


def with_check_digit(first19: str) -> str:
    """A valid code from its first 19 digits (tests and demo data)."""
    digits = normalise(first19)
    full = digits + str(iso7064_mod11_10(digits))
    return "-".join((full[:4], full[4:10], full[10:12], full[12:14], full[14:]))
