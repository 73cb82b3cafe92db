import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from accounts.models import User
from accounts.services import is_locked

LOGIN = "accounts:login"


def _fail(client, username="xa", times=1, ip="10.0.0.1"):
    response = None
    for _ in range(times):
        response = client.post(reverse(LOGIN), {"username": username, "password": "sai-mat-khau"}, REMOTE_ADDR=ip)
    return response


@pytest.mark.django_db
def test_the_login_page_is_vietnamese(client):
    body = client.get(reverse(LOGIN)).content.decode()
    assert 'lang="vi"' in body and "Đăng nhập" in body and "Tên đăng nhập" in body


@pytest.mark.django_db
def test_a_good_login_lands_on_home(client):
    response = client.post(reverse(LOGIN), {"username": "thuongtruc", "password": "Pcmt@2026demo"})
    assert response.status_code == 302 and response["Location"] == reverse("dashboard:home")


@pytest.mark.django_db
def test_a_bad_login_says_so_in_vietnamese(client):
    body = _fail(client).content.decode()
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in body


@pytest.mark.django_db
def test_five_failures_lock_the_account_even_with_the_right_password(client):
    response = _fail(client, times=5)
    assert response.status_code == 429
    body = response.content.decode()
    assert "tạm khóa trong 15 phút" in body and "Tài khoản này" in body
    response = client.post(reverse(LOGIN), {"username": "xa", "password": "Pcmt@2026demo"}, REMOTE_ADDR="10.0.0.2")
    assert response.status_code == 429


@pytest.mark.django_db
def test_five_failures_on_one_account_do_not_lock_other_accounts_behind_the_same_address(client):
    """A provincial office behind one NAT address is not locked out by one person."""
    _fail(client, username="khong-co-ai", times=5, ip="10.0.0.9")
    response = client.post(reverse(LOGIN), {"username": "syt", "password": "Pcmt@2026demo"}, REMOTE_ADDR="10.0.0.9")
    assert response.status_code == 302


@pytest.mark.django_db
def test_failures_from_several_addresses_add_up_and_lock_the_account_everywhere(client, commune_a):
    _fail(client, times=3, ip="10.0.0.1")
    _fail(client, times=2, ip="10.0.0.2")
    assert is_locked(commune_a)
    response = client.post(reverse(LOGIN), {"username": "xa", "password": "Pcmt@2026demo"}, REMOTE_ADDR="10.0.0.3")
    assert response.status_code == 429


@pytest.mark.django_db
def test_many_failures_across_accounts_lock_the_address(client, settings):
    """Password spraying from one address: locked at the (much higher) per-address threshold."""
    assert settings.PCMT_LOCKOUT_ADDRESS_FAILURES == 50
    for i in range(49):
        _fail(client, username=f"thu-{i % 12}", ip="10.0.0.7")
    assert (
        client.post(
            reverse(LOGIN), {"username": "syt", "password": "Pcmt@2026demo"}, REMOTE_ADDR="10.0.0.7"
        ).status_code
        == 302
    )
    client.logout()
    response = _fail(client, username="thu-moi", ip="10.0.0.7")  # the 50th failure
    assert response.status_code == 429
    body = response.content.decode()
    assert "địa chỉ truy cập này" in body and "tạm khóa trong 15 phút" in body
    response = client.post(reverse(LOGIN), {"username": "syt", "password": "Pcmt@2026demo"}, REMOTE_ADDR="10.0.0.7")
    assert response.status_code == 429
    response = client.post(reverse(LOGIN), {"username": "syt", "password": "Pcmt@2026demo"}, REMOTE_ADDR="10.0.0.8")
    assert response.status_code == 302


@pytest.mark.django_db
def test_the_address_threshold_is_configurable(client, settings):
    settings.PCMT_LOCKOUT_ADDRESS_FAILURES = 8
    for i in range(8):
        _fail(client, username=f"thu-{i}", ip="10.0.0.6")
    response = client.post(reverse(LOGIN), {"username": "syt", "password": "Pcmt@2026demo"}, REMOTE_ADDR="10.0.0.6")
    assert response.status_code == 429


@pytest.mark.django_db
def test_four_failures_do_not_lock(client):
    _fail(client, times=4)
    response = client.post(reverse(LOGIN), {"username": "xa", "password": "Pcmt@2026demo"}, REMOTE_ADDR="10.0.0.1")
    assert response.status_code == 302


@pytest.mark.django_db
def test_the_office_unlocks_a_locked_account(client, login, commune_a):
    _fail(client, times=5)
    office = login("office_a")
    detail = office.get(reverse("accounts:user_detail", args=[commune_a.pk])).content.decode()
    assert "Đang bị khóa đăng nhập" in detail
    assert office.post(reverse("accounts:user_unlock", args=[commune_a.pk])).status_code == 302
    assert not AccessAttempt.objects.filter(username="xa").exists()
    office.logout()
    response = client.post(reverse(LOGIN), {"username": "xa", "password": "Pcmt@2026demo"}, REMOTE_ADDR="10.0.0.1")
    assert response.status_code == 302


@pytest.mark.django_db
def test_office_b_cannot_unlock_a_province_a_account(login, commune_a):
    assert login("office_b").post(reverse("accounts:user_unlock", args=[commune_a.pk])).status_code == 404


@pytest.mark.django_db
def test_logout_is_a_post_and_ends_the_session(login):
    client = login("commune_a")
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert client.get(reverse("dashboard:home")).status_code == 302


@pytest.mark.django_db
def test_a_new_user_must_change_the_password_first(client, commune_a):
    User.objects.filter(pk=commune_a.pk).update(must_change_password=True)
    client.force_login(User.objects.get(pk=commune_a.pk))
    response = client.get(reverse("dashboard:home"))
    assert response.status_code == 302 and response["Location"] == reverse("accounts:password_change")
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": "Pcmt@2026demo",
            "new_password1": "Mat#KhauMoi2026",
            "new_password2": "Mat#KhauMoi2026",
        },
    )
    assert response.status_code == 302
    assert not User.objects.get(pk=commune_a.pk).must_change_password
    assert client.get(reverse("dashboard:home")).status_code == 200


@pytest.mark.django_db
def test_a_wrong_old_password_is_refused_in_vietnamese(login):
    client = login("commune_a")
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": "sai",
            "new_password1": "Mat#KhauMoi2026",
            "new_password2": "Mat#KhauMoi2026",
        },
    )
    assert response.status_code == 200
    assert "Mật khẩu cũ không chính xác" in response.content.decode()
