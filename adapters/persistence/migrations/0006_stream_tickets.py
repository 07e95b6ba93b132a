"""The live event stream's single-use tickets (CONTRACT.md §4, v2): ``weather_stream_ticket``,
kept by digest (``adapters/persistence/stream_tickets.py``). A new table only; backwards it is
dropped with the tickets it holds, which live a minute anyway."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("weather", "0005_live_events"),
    ]

    operations = [
        migrations.CreateModel(
            name="StreamTicket",
            fields=[
                ("digest", models.CharField(max_length=64, primary_key=True, serialize=False)),
                ("owner_id", models.CharField(max_length=150)),
                ("expires_at", models.DateTimeField()),
            ],
            options={
                "verbose_name": "stream ticket",
                "db_table": "weather_stream_ticket",
                "indexes": [
                    models.Index(fields=["expires_at"], name="weather_stream_ticket_expiry")
                ],
            },
        ),
    ]
