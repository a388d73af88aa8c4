"""403, 404, 500 and CSRF pages: Chinese (English by the switch), in the layout, a way back."""

import pytest
from django.template import loader
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def production_errors(settings):
    # What DEBUG=0 shows: the handlers and templates, not Django's technical pages.
    settings.DEBUG = False


def _page(response) -> str:
    return response.content.decode()


class TestNotFound:
    def test_anonymous_gets_the_chinese_page_with_a_way_to_log_in(self, client):
        response = client.get("/no-such-page/")
        assert response.status_code == 404
        body = _page(response)
        assert "页面不存在" in body and "Not Found" not in body
        assert 'href="/"' in body and "返回首页" in body
        assert f'href="{reverse("login")}?next=/no-such-page/"' in body
        assert "bootstrap.min.css" in body  # the platform layout, not a bare page

    def test_signed_in_user_keeps_the_navigation(self, client, staff_xining):
        client.force_login(staff_xining)
        body = _page(client.get("/projects/999999999/"))
        assert "页面不存在" in body
        assert 'id="mainnav"' in body and "项目库" in body and staff_xining.display_name in body
        # Django's message names the model ("No Project matches…"): not shown.
        assert "matches" not in body

    def test_back_goes_to_the_referring_page_on_this_site_only(self, client, staff_xining):
        client.force_login(staff_xining)
        here = client.get("/nope/", HTTP_REFERER="http://testserver/projects/")
        assert 'href="http://testserver/projects/"' in _page(here) and "返回上一页" in _page(here)
        away = client.get("/nope/", HTTP_REFERER="https://evil.example/")
        assert "evil.example" not in _page(away) and "返回上一页" not in _page(away)

    def test_english_by_the_switch(self, client, settings):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        body = _page(client.get("/no-such-page/"))
        assert "Page not found" in body and "Back to home" in body and "页面不存在" not in body


class TestForbidden:
    def test_refusal_in_the_layout_with_its_reason(self, client, staff_xining):
        # Before: a bare white "403 Forbidden".
        client.force_login(staff_xining)
        response = client.get(reverse("projects:review"))
        assert response.status_code == 403
        body = _page(response)
        assert "无权访问" in body and "只有审核员可以使用审核队列。" in body
        assert 'id="mainnav"' in body and "<h1>403 Forbidden</h1>" not in body
        assert "返回首页" in body

    def test_english(self, client, staff_xining, settings):
        client.force_login(staff_xining)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        body = _page(client.get(reverse("projects:review")))
        assert "Access denied" in body


class TestServerError:
    @pytest.mark.urls("tests.core.urls_boom")
    def test_a_bug_shows_the_chinese_500_page(self, staff_xining):
        client = Client(raise_request_exception=False)
        client.force_login(staff_xining)
        response = client.get("/boom/")
        assert response.status_code == 500
        body = _page(response)
        assert "服务器出错" in body and "没有被保存" in body and 'href="/"' in body
        assert "Server Error (500)" not in body

    def test_renders_without_request_or_database(self, django_assert_num_queries):
        # The failure may be the database itself or a context processor: neither is used.
        with django_assert_num_queries(0):
            body = loader.get_template("500.html").render()
        assert "服务器出错" in body and "bootstrap.min.css" in body


class TestCsrfFailure:
    def test_stale_form_gets_the_platform_page(self, staff_xining):
        client = Client(enforce_csrf_checks=True)
        client.force_login(staff_xining)
        response = client.post(reverse("logout"), HTTP_REFERER="http://testserver/projects/")
        assert response.status_code == 403
        body = _page(response)
        assert "页面已过期" in body and "CSRF verification failed" not in body
        assert 'href="http://testserver/projects/"' in body and 'id="mainnav"' in body

    def test_anonymous_login_post_without_token(self):
        response = Client(enforce_csrf_checks=True).post(
            reverse("login"), {"username": "x", "password": "y"}
        )
        assert response.status_code == 403 and "页面已过期" in _page(response)
