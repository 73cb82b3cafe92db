import pytest
from django.urls import reverse

from notices.models import Notification
from notices.services import notify, unread_count


@pytest.mark.django_db
def test_notify_is_idempotent_per_user_and_event(agency_a, commune_a):
    first = notify(users=[agency_a, commune_a], key="task:1:overdue", title="Nhiệm vụ quá hạn", url="/ke-hoach/")
    again = notify(users=[agency_a, commune_a], key="task:1:overdue", title="Nhiệm vụ quá hạn")
    assert len(first) == 2 and again == []
    assert Notification.objects.filter(key="task:1:overdue").count() == 2


@pytest.mark.django_db
def test_inactive_users_are_not_notified(agency_a):
    agency_a.is_active = False
    assert notify(users=[agency_a], key="k", title="t") == []


@pytest.mark.django_db
def test_mail_goes_out_when_enabled(agency_a, settings, mailoutbox):
    settings.PCMT_EMAIL_NOTIFICATIONS = True
    agency_a.email = "syt@example.gov.vn"
    agency_a.save(update_fields=["email"])
    notify(users=[agency_a], key="mail-1", title="Sắp đến hạn", body="Nhiệm vụ X")
    assert len(mailoutbox) == 1 and mailoutbox[0].subject == "Sắp đến hạn"
    assert Notification.objects.get(key="mail-1").emailed


@pytest.mark.django_db
def test_a_person_sees_and_opens_only_their_own(login, agency_a, commune_a):
    mine = notify(users=[agency_a], key="a", title="Của tôi", url="/ke-hoach/")[0]
    other = notify(users=[commune_a], key="b", title="Của người khác")[0]
    client = login("agency_a")
    body = client.get(reverse("notices:list")).content.decode()
    assert "Của tôi" in body and "Của người khác" not in body
    assert 'aria-label="1 chưa đọc"' in client.get(reverse("dashboard:home")).content.decode()
    response = client.post(reverse("notices:open", args=[mine.pk]))
    assert response.status_code == 302 and response["Location"] == "/ke-hoach/"
    assert unread_count(agency_a) == 0
    assert client.post(reverse("notices:open", args=[other.pk])).status_code == 404
    other.refresh_from_db()
    assert other.read_at is None


@pytest.mark.django_db
def test_an_external_link_is_not_followed(login, agency_a):
    n = notify(users=[agency_a], key="x", title="t", url="https://example.com/phishing")[0]
    response = login("agency_a").post(reverse("notices:open", args=[n.pk]))
    assert response["Location"] == reverse("notices:list")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "persona", ["office_a", "office_b", "agency_a", "commune_a", "case_a", "leader_a", "national", "admin"]
)
def test_every_role_has_a_notification_page(login, persona):
    assert login(persona).get(reverse("notices:list")).status_code == 200


@pytest.mark.django_db
def test_open_requires_post_and_sign_in(client, login, agency_a):
    n = notify(users=[agency_a], key="y", title="t")[0]
    assert client.post(reverse("notices:open", args=[n.pk])).status_code == 302  # to login
    assert login("agency_a").get(reverse("notices:open", args=[n.pk])).status_code == 405
