"""Key rotation: re-seal every protected value with the current key and recompute every keyed hash."""

from __future__ import annotations

from collections import Counter

from django.apps import apps
from django.db import transaction
from django.db.models import Model

from cases import crypto
from cases.fields import EncryptedTextField
from cases.models import Person, PersonToken
from cases.services.persons import name_tokens

BATCH = 500


def encrypted_fields() -> dict[type[Model], list[str]]:
    out: dict[type[Model], list[str]] = {}
    for model in apps.get_app_config("cases").get_models():
        names = [f.name for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]
        if names:
            out[model] = names
    return out


@transaction.atomic
def rotate() -> Counter[str]:
    """Re-seal with the first key of PCMT_CASE_KEYS and rehash with the first of PCMT_CASE_HASH_KEYS.

    Values sealed with any configured key are read; after this, only the first key is needed.
    """
    crypto.reset_keys()
    done: Counter[str] = Counter()
    for model, names in encrypted_fields().items():
        manager = model._default_manager
        batch: list[Model] = []
        for obj in manager.only("pk", *names).iterator(chunk_size=BATCH):
            batch.append(obj)
            if len(batch) == BATCH:
                manager.bulk_update(batch, names)
                done[model._meta.label] += len(batch)
                batch = []
        if batch:
            manager.bulk_update(batch, names)
            done[model._meta.label] += len(batch)
    persons = []
    PersonToken.objects.all().delete()
    for person in (
        Person.objects.filter(pseudonymised_at__isnull=True).select_related("commune").iterator(chunk_size=BATCH)
    ):
        person.name_hash = crypto.name_hash(person.full_name)
        person.identity_hash = crypto.identity_hash(person.full_name, person.birth_date)
        person.cccd_hash = crypto.cccd_hash(person.cccd) if person.cccd else None
        persons.append(person)
    for i in range(0, len(persons), BATCH):
        chunk = persons[i : i + BATCH]
        # Two steps so that swapping hashes never meets the unique index half-way.
        for p in chunk:
            p._final_hash = p.cccd_hash  # type: ignore[attr-defined]
            p.cccd_hash = f"rotating-{p.pk}" if p.cccd_hash else None
        Person.objects.bulk_update(chunk, ["cccd_hash"])
        for p in chunk:
            p.cccd_hash = p._final_hash  # type: ignore[attr-defined]
    for i in range(0, len(persons), BATCH):
        chunk = persons[i : i + BATCH]
        Person.objects.bulk_update(chunk, ["name_hash", "identity_hash", "cccd_hash"])
        PersonToken.objects.bulk_create(
            [t for p in chunk for t in name_tokens(p.pk, p.commune_id, p.commune.province_id, p.full_name)]
        )
    done["rehashed"] = len(persons)
    return done
