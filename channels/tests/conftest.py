from channels.tests.fixtures import (  # noqa: F401 (fixtures)
    _routes,
    _unlimited,
    fake_sms,
    fake_telegram,
    fake_whatsapp,
    mail,
)
