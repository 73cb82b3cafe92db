import base64

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import twofactor
from audit.models import AuditEvent


def code(device) -> str:
    return f"{totp(device.bin_key, step=30, t0=0, digits=6):06d}"


def _enable(user):
    device = twofactor.pending_device(user)
    assert twofactor.confirm_device(user=user, device=device, token=code(device))
    device.refresh_from_db()
    device.last_t = -1  # allow the same time step again in the test
    device.save(update_fields=["last_t"])
    return device


@pytest.mark.django_db
def test_setup_shows_a_qr_code_and_a_secret(login):
    body = login("agency_a").get(reverse("accounts:otp_setup")).content.decode()
    assert "<svg" in body and 'data-testid="otp-secret"' in body


@pytest.mark.django_db
def test_a_wrong_first_code_does_not_enable(login, agency_a):
    response = login("agency_a").post(reverse("accounts:otp_setup"), {"token": "123456"})
    assert "Mã xác thực không đúng" in response.content.decode()
    assert twofactor.confirmed_device(agency_a) is None


@pytest.mark.django_db
def test_the_right_first_code_enables_and_is_audited(login, agency_a):
    client = login("agency_a")
    client.get(reverse("accounts:otp_setup"))
    device = TOTPDevice.objects.get(user=agency_a, confirmed=False)
    assert client.post(reverse("accounts:otp_setup"), {"token": code(device)}).status_code == 302
    assert twofactor.confirmed_device(agency_a) is not None
    assert AuditEvent.objects.filter(action="otp.enable", object_id=str(agency_a.pk)).exists()


@pytest.mark.django_db
def test_sign_in_takes_two_steps_once_enabled(client, agency_a):
    device = _enable(agency_a)
    response = client.post(reverse("accounts:login"), {"username": "syt", "password": "Pcmt@2026demo"})
    assert response["Location"] == reverse("accounts:otp_verify")
    assert client.get(reverse("dashboard:home")).status_code == 302  # not signed in yet
    assert "không đúng" in client.post(reverse("accounts:otp_verify"), {"token": "000000"}).content.decode()
    device.refresh_from_db()
    device.throttle_reset()  # a real person waits out the throttle (1 s after one wrong code)
    response = client.post(reverse("accounts:otp_verify"), {"token": code(device)})
    assert response.status_code == 302
    assert client.get(reverse("dashboard:home")).status_code == 200


@pytest.mark.django_db
def test_five_wrong_codes_send_back_to_the_password(client, agency_a):
    _enable(agency_a)
    client.post(reverse("accounts:login"), {"username": "syt", "password": "Pcmt@2026demo"})
    for _ in range(5):
        response = client.post(reverse("accounts:otp_verify"), {"token": "000000"})
    assert response["Location"] == reverse("accounts:login")
    assert client.get(reverse("accounts:otp_verify"))["Location"] == reverse("accounts:login")


@pytest.mark.django_db
def test_the_verify_step_without_a_password_step_goes_to_login(client):
    assert client.get(reverse("accounts:otp_verify"))["Location"] == reverse("accounts:login")


@pytest.mark.django_db
def test_a_case_officer_without_a_verified_factor_is_sent_to_setup(client, case_a):
    client.force_login(case_a)
    response = client.get(reverse("dashboard:home"))
    assert response["Location"] == reverse("accounts:otp_setup")
    assert client.get(reverse("accounts:otp_setup")).status_code == 200


@pytest.mark.django_db
def test_a_case_officer_cannot_turn_it_off(login):
    assert login("case_a").post(reverse("accounts:otp_disable")).status_code == 403


@pytest.mark.django_db
def test_others_can_turn_it_off(login, agency_a):
    _enable(agency_a)
    login("agency_a").post(reverse("accounts:otp_disable"))
    assert twofactor.confirmed_device(agency_a) is None


ALL = ["office_a", "office_b", "agency_a", "commune_a", "case_a", "leader_a", "national", "admin"]
RESET = {
    "office_a": 302,
    "office_b": 404,
    "agency_a": 403,
    "commune_a": 403,
    "case_a": 403,
    "leader_a": 403,
    "national": 403,
    "admin": 302,
}


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ALL)
def test_only_the_managing_office_resets_a_lost_authenticator(login, persona, commune_a):
    _enable(commune_a)
    response = login(persona).post(reverse("accounts:otp_reset", args=[commune_a.pk]))
    assert response.status_code == RESET[persona]
    assert (twofactor.confirmed_device(commune_a) is None) == (RESET[persona] == 302)


def test_the_secret_is_base32_of_the_device_key():
    device = TOTPDevice(key="3132333435363738393031323334353637383930")
    assert base64.b32decode(twofactor.secret_base32(device)) == b"12345678901234567890"


@pytest.mark.django_db
def test_the_admin_login_form_is_not_a_way_around_the_second_factor(client):
    response = client.get("/quan-tri/login/?next=/quan-tri/")
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))
    response = client.post("/quan-tri/login/", {"username": "quantri", "password": "Pcmt@2026demo"})
    assert client.get(reverse("dashboard:home")).status_code == 302  # still signed out


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["office_b", "agency_a", "leader_a"])
def test_the_service_refuses_to_remove_someone_elses_second_factor(request, commune_a, persona):
    """Only the person or the Standing Office managing the account, even without a view."""
    from django.core.exceptions import PermissionDenied

    device = _enable(commune_a)
    events = AuditEvent.objects.count()
    with pytest.raises(PermissionDenied):
        twofactor.disable(acting_user=request.getfixturevalue(persona), user=commune_a)
    assert TOTPDevice.objects.filter(pk=device.pk, confirmed=True).exists() and AuditEvent.objects.count() == events


@pytest.mark.django_db
def test_the_person_and_their_office_may_remove_the_second_factor(commune_a, office_a):
    _enable(commune_a)
    twofactor.disable(acting_user=commune_a, user=commune_a)
    _enable(commune_a)
    twofactor.disable(acting_user=office_a, user=commune_a)
    assert not TOTPDevice.objects.filter(user=commune_a).exists()
