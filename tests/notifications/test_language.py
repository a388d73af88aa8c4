"""Each user's language (issue 16 point 1): kept from the language switch, editable in the
profile and the admin, and the one their notifications and e-mails are written in."""

import pytest
from django.core import mail
from django.urls import reverse

from apps.accounts.models import User
from apps.notifications.channels import EmailChannel, message_text
from apps.notifications.models import Notification
from apps.notifications.services import notify
from apps.notifications.subscribers import project_review_event
from apps.projects.models import LibraryStatus, ReviewAction
from tests.projects.factories import make_project

pytestmark = pytest.mark.django_db


def test_the_language_switch_keeps_a_signed_in_users_choice(client, staff_xining):
    assert staff_xining.language == "zh-hans"  # Chinese is the default
    client.force_login(staff_xining)
    r = client.post(reverse("set_language"), {"language": "en", "next": "/accounts/profile/"})
    assert r.status_code == 302 and r["Location"] == "/accounts/profile/"
    staff_xining.refresh_from_db()
    assert staff_xining.language == "en"
    assert client.cookies["django_language"].value == "en"
    client.post(reverse("set_language"), {"language": "xx"})  # not a language: ignored
    staff_xining.refresh_from_db()
    assert staff_xining.language == "en"
    client.logout()
    assert client.post(reverse("set_language"), {"language": "zh-hans"}).status_code == 302


def test_the_profile_and_the_admin_edit_the_language(client, staff_xining, admin_user_):
    client.force_login(staff_xining)
    html = client.get(reverse("accounts:profile")).content.decode()
    assert 'id="profile-language"' in html and '<option value="zh-hans" selected>' in html
    client.force_login(admin_user_)
    page = client.get(f"/admin/accounts/user/{staff_xining.pk}/change/").content.decode()
    assert 'name="language"' in page


def test_each_recipient_gets_the_message_in_their_language(staff_xining, make_user, xining):
    english = make_user(organization=xining, username="t_staff_en", language="en")
    project = make_project(xining, LibraryStatus.RETURNED)  # returned: "请补充资料"
    event = project.review_events.get(action=ReviewAction.RETURN)
    project_review_event(event_id=event.pk)
    by_user = {
        n.recipient.username: n for n in Notification.objects.filter(recipient__isnull=False)
    }
    chinese, english_n = by_user["t_staff_xining"], by_user["t_staff_en"]
    assert chinese.title == f"项目“{project.name}”被退回修改"
    assert chinese.body == "退回理由：请补充资料"
    assert english_n.title == f"Project “{project.name}” was returned for revision"
    assert english_n.body == "Reason for return: 请补充资料"  # the comment is data
    # The e-mail speaks the recipient's language too: subject and link line.
    english.email = "en@example.gov.cn"
    english.save()
    english_n.recipient = english
    EmailChannel().send(english_n)
    assert mail.outbox[-1].subject == f"[Qinghai Project Platform] {english_n.title}"
    assert "Details: " in mail.outbox[-1].body
    assert "详情：" in message_text(chinese)


def test_plain_text_is_sent_as_it_is_and_lazy_text_per_language(make_user, xining):
    english = make_user(organization=xining, username="t_en2", language="en")
    chinese = make_user(organization=xining, username="t_zh2")
    sent = notify(
        recipients=[english, chinese], title="固定文本", body=lambda: str(User._meta.verbose_name)
    )
    assert {n.recipient.username: (n.title, n.body) for n in sent} == {
        "t_en2": ("固定文本", "User"),
        "t_zh2": ("固定文本", "用户"),
    }
