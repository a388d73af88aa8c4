"""前期工作 milestones, 要素保障 needs (存在困难 → problem ticket), documents and 形象进度 photos,
all served through the policy (issue 13 points 3 and 4)."""

import datetime as dt
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from freezegun import freeze_time
from PIL import Image

from apps.problems.models import ProblemTicket
from apps.projects import services
from apps.projects.models import (
    FactorNeed,
    LibraryStatus,
    MilestoneKind,
    PreparatoryMilestone,
    ProjectDocument,
    UpdatePhoto,
)
from tests.projects.factories import make_project

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(scope="module", autouse=True)
def routes(django_db_setup, django_db_blocker):
    from apps.core.calendar import load_calendar
    from apps.problems.seed import load_routes
    from apps.workgroups.seed import load_groups

    with django_db_blocker.unblock():
        load_groups()
        load_calendar()
        load_routes()


def jpeg(size=(1200, 900), name="site.jpg") -> SimpleUploadedFile:
    buf = BytesIO()
    Image.new("RGB", size, (120, 160, 90)).save(buf, "JPEG")
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/jpeg")


def test_milestones_with_date_number_and_issuing_body(staff_xining, staff_haidong, xining):
    p = make_project(xining)
    with freeze_time("2026-12-01"):
        m = services.save_milestone(
            user=staff_xining,
            project=p,
            kind=MilestoneKind.FEASIBILITY,
            done_on=dt.date(2026, 6, 30),
            document_number="青发改投资〔2026〕88号",
            issuing_body="省发展改革委",
        )
        with pytest.raises(ValidationError, match="请填写文号"):
            services.save_milestone(
                user=staff_xining, project=p, kind=MilestoneKind.EIA, done_on=dt.date(2026, 7, 1)
            )
        with pytest.raises(ValidationError, match="不能晚于今天"):
            services.save_milestone(
                user=staff_xining, project=p, kind=MilestoneKind.EIA,
                done_on=dt.date(2026, 12, 2), document_number="x",
            )  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.save_milestone(user=staff_haidong, project=p, kind=MilestoneKind.EIA, done_on=None)
    assert [(x.get_kind_display(), x.document_number) for x in p.milestones.all()] == [
        ("可行性研究报告", "青发改投资〔2026〕88号")
    ]
    assert m.history.count() == 1


def test_milestones_form_on_the_page(client, staff_xining, xining):
    p = make_project(xining)
    client.force_login(staff_xining)
    page = client.get(f"/projects/{p.pk}/").content.decode()
    for label in ["项目建议书", "可行性研究报告", "用地预审与选址意见", "环评", "节能审查",
                  "核准/备案/批复", "施工许可"]:  # fmt: skip
        assert label in page
    r = client.post(
        f"/projects/{p.pk}/milestones/",
        {
            "done_on_proposal": "2026-03-01",
            "document_number_proposal": "西发改〔2026〕1号",
            "issuing_body_proposal": "西宁市发展改革委",
        },
        follow=True,
    )
    assert "已保存 1 项前期工作" in r.content.decode()
    m = PreparatoryMilestone.objects.get(project=p)
    assert (m.kind, m.done_on, m.issuing_body) == (
        "proposal",
        dt.date(2026, 3, 1),
        "西宁市发展改革委",
    )


def test_a_difficult_factor_opens_one_problem_ticket(staff_xining, xining):
    p = make_project(xining, LibraryStatus.APPROVED)
    need = services.save_factor_need(
        user=staff_xining, project=p, kind="land", status="in_progress", quantity=Decimal("320")
    )
    assert need.problem_ticket is None and need.unit == "亩"
    with pytest.raises(ValidationError, match="请说明困难"):
        services.save_factor_need(user=staff_xining, project=p, kind="land", status="difficult")
    need = services.save_factor_need(
        user=staff_xining, project=p, kind="land", status="difficult",
        quantity=Decimal("320"), difficulty="基本农田占补平衡指标不足",
    )  # fmt: skip
    ticket = need.problem_ticket
    assert ticket is not None and ticket.project == p and ticket.category == "land"
    assert ticket.description == "用地（需求 320 亩）：基本农田占补平衡指标不足"
    assert ticket.source_note == "要素保障"
    # Saved again while the ticket is open: still one ticket.
    services.save_factor_need(
        user=staff_xining, project=p, kind="land", status="difficult",
        quantity=Decimal("330"), difficulty="仍不足",
    )  # fmt: skip
    assert ProblemTicket.objects.filter(project=p).count() == 1
    gap = services.save_factor_need(
        user=staff_xining, project=p, kind="funding_gap", status="difficult",
        quantity=Decimal("2.5"), difficulty="银行贷款未落实",
    )  # fmt: skip
    assert gap.problem_ticket.category == "funding" and gap.unit == "亿元"
    assert FactorNeed.objects.filter(project=p).count() == 2


def test_factor_needs_form_names_the_ticket(client, staff_xining, xining):
    p = make_project(xining, LibraryStatus.APPROVED)
    client.force_login(staff_xining)
    r = client.post(
        f"/projects/{p.pk}/factor-needs/",
        {"quantity_energy": "12000", "status_energy": "difficult",
         "difficulty_energy": "能耗指标不足", "quantity_forest": "15", "status_forest": "secured"},
        follow=True,
    )  # fmt: skip
    html = r.content.decode()
    assert "已保存 2 项要素保障，1 项存在困难已转为问题工单" in html
    assert "问题工单：" in html and "吨标准煤" in html
    r = client.post(f"/projects/{p.pk}/factor-needs/", {"quantity_grassland": "3"}, follow=True)
    assert "请选择用草的保障情况" in r.content.decode()


def test_documents_upload_limits_and_policy_download(
    client, settings, staff_xining, staff_haidong, leader, xining
):
    p = make_project(xining)
    pdf = SimpleUploadedFile("建议书.pdf", b"%PDF-1.4 demo", content_type="application/pdf")
    doc = services.add_document(user=staff_xining, project=p, kind="proposal", title="", upload=pdf)
    assert doc.title == "建议书.pdf" and doc.size == 13
    assert "/" not in doc.file.name.rsplit("documents/", 1)[1]  # stored under a generated name
    with pytest.raises(ValidationError, match="不支持的文件类型"):
        services.add_document(
            user=staff_xining, project=p, kind="other", title="x",
            upload=SimpleUploadedFile("run.exe", b"MZ"),
        )  # fmt: skip
    settings.QH_MAX_UPLOAD_MB = 0
    with pytest.raises(ValidationError, match="文件超过"):
        services.add_document(
            user=staff_xining, project=p, kind="other", title="x",
            upload=SimpleUploadedFile("a.pdf", b"%PDF-1.4"),
        )  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.add_document(
            user=staff_haidong, project=p, kind="other", title="x",
            upload=SimpleUploadedFile("b.pdf", b"%PDF-1.4"),
        )  # fmt: skip
    url = f"/projects/documents/{doc.pk}/"
    client.force_login(staff_xining)
    r = client.get(url)
    assert r.status_code == 200 and b"".join(r.streaming_content) == b"%PDF-1.4 demo"
    assert "attachment" in r["Content-Disposition"]
    client.force_login(staff_haidong)
    assert client.get(url).status_code == 404  # another unit: not even that it exists
    client.force_login(leader)
    assert client.get(url).status_code == 200
    client.logout()
    assert client.get(url).status_code == 302
    assert ProjectDocument.objects.count() == 1


@freeze_time("2026-12-01")
def test_photos_get_thumbnails_and_a_gallery(client, staff_xining, staff_haidong, xining):
    p = make_project(xining, LibraryStatus.APPROVED)
    update = services.record_monthly_update(
        user=staff_xining, project=p, period=dt.date(2026, 11, 1),
        completed_this_month=Decimal("0.5"), stage=p.stage, progress="主体施工",
    )  # fmt: skip
    photo = services.add_update_photo(
        user=staff_xining, update=update, upload=jpeg(), caption="主体结构"
    )
    with photo.thumbnail.open("rb") as f, Image.open(f) as thumb:
        assert thumb.size == (320, 240) and thumb.format == "JPEG"
    with pytest.raises(ValidationError, match="无法识别的图片文件"):
        services.add_update_photo(
            user=staff_xining, update=update,
            upload=SimpleUploadedFile("fake.jpg", b"not an image"),
        )  # fmt: skip
    client.force_login(staff_xining)
    r = client.post(
        f"/projects/updates/{update.pk}/photos/", {"photo": jpeg(name="b.png"), "caption": "二"}
    )
    assert r.status_code == 302
    page = client.get(f"/projects/{p.pk}/").content.decode()
    assert 'id="gallery"' in page and f"/projects/photos/{photo.pk}/thumb/" in page
    assert client.get(f"/projects/photos/{photo.pk}/thumb/").status_code == 200
    client.force_login(staff_haidong)
    assert client.get(f"/projects/photos/{photo.pk}/").status_code == 404
    assert client.get(f"/projects/updates/{update.pk}/photos/").status_code == 404
    assert UpdatePhoto.objects.filter(update=update).count() >= 1


def test_api_records_milestones_and_factor_needs(staff_xining, staff_haidong, xining):
    from rest_framework.test import APIClient

    p = make_project(xining, LibraryStatus.APPROVED)
    client = APIClient()
    client.force_authenticate(staff_xining)
    r = client.post(
        f"/api/v1/projects/{p.pk}/milestones/",
        {"kind": "eia", "done_on": "2026-05-10", "document_number": "青环审〔2026〕5号",
         "issuing_body": "省生态环境厅"},
        format="json",
    )  # fmt: skip
    assert r.status_code == 200, r.content
    assert r.json()["kind_display"] == "环评"
    r = client.post(
        f"/api/v1/projects/{p.pk}/factor-needs/",
        {"kind": "grassland", "status": "difficult", "quantity": "45",
         "difficulty": "草原征占用审核未批"},
        format="json",
    )  # fmt: skip
    assert r.status_code == 200, r.content
    assert r.json()["problem_ticket"] is not None and r.json()["unit"] == "亩"
    detail = client.get(f"/api/v1/projects/{p.pk}/").json()
    assert [m["kind"] for m in detail["milestones"]] == ["eia"]
    assert [n["status_display"] for n in detail["factor_needs"]] == ["存在困难"]
    other = APIClient()
    other.force_authenticate(staff_haidong)
    r = other.post(f"/api/v1/projects/{p.pk}/milestones/", {"kind": "eia"}, format="json")
    assert r.status_code == 404  # another unit's project is not even visible
