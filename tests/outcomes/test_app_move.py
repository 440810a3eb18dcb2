"""Outcome reporting moved from `initiatives` to its own app without touching the data: the migrations of
the move change no table, and an upgraded database's content types (and the permissions on them) follow
the models to the new app."""

import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps as django_apps
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection

from outcomes.models import OutcomeReport

pytestmark = pytest.mark.django_db

move = importlib.import_module("outcomes.migrations.0001_initial")


@pytest.mark.parametrize(
    ("app", "migration"), [("initiatives", "0008_outcomes_move_to_own_app"), ("outcomes", "0001_initial")]
)
def test_the_move_leaves_every_table_as_it_is(app, migration, capsys):
    call_command("sqlmigrate", app, migration)
    sql = capsys.readouterr().out.upper()
    for statement in ("CREATE", "ALTER", "DROP", "RENAME", "INSERT", "DELETE"):
        assert statement not in sql


def test_the_models_keep_their_tables():
    assert OutcomeReport._meta.db_table == "initiatives_outcomereport"
    assert OutcomeReport.history.model._meta.db_table == "initiatives_historicaloutcomereport"
    with connection.cursor() as cursor:
        tables = set(connection.introspection.table_names(cursor))
    assert {f"initiatives_{name}" for name in move.MOVED} <= tables


def test_an_upgraded_databases_content_types_and_permissions_follow_the_models():
    report_type = ContentType.objects.get_for_model(OutcomeReport)
    view = Permission.objects.get(content_type=report_type, codename="view_outcomereport")
    # As a database migrated before the move has them: under the app the models came from.
    ContentType.objects.filter(app_label="outcomes").update(app_label="initiatives")
    ContentType.objects.clear_cache()
    editor = SimpleNamespace(connection=connection)

    move.content_types_follow(django_apps, editor)

    report_type.refresh_from_db()
    assert report_type.app_label == "outcomes"
    assert not ContentType.objects.filter(app_label="initiatives", model__in=move.MOVED).exists()
    assert Permission.objects.get(pk=view.pk).content_type_id == report_type.pk
    ContentType.objects.clear_cache()
    assert ContentType.objects.get_for_model(OutcomeReport).pk == report_type.pk

    move.content_types_go_back(django_apps, editor)  # and back, should the move be undone
    report_type.refresh_from_db()
    assert report_type.app_label == "initiatives"
    ContentType.objects.clear_cache()
