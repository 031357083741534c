"""WhatsApp template parameters as the Cloud API accepts them."""

from core.whatsapp import template, template_parameter


def test_parameters_are_one_line_and_at_most_1024_characters() -> None:
    assert template_parameter("Ringkasan:\n\n  baris\tdua") == "Ringkasan: baris dua"
    long = template_parameter("kata " * 400)
    assert len(long) == 1024 and long.endswith("…")
    assert template_parameter("pendek") == "pendek"


def test_template_object() -> None:
    assert template("kabar_simpul", "id", ["Judul", "Isi\nberita", "https://x"]) == {
        "name": "kabar_simpul",
        "language": {"code": "id"},
        "components": [
            {
                "type": "body",
                "parameters": [
                    {"type": "text", "text": "Judul"},
                    {"type": "text", "text": "Isi berita"},
                    {"type": "text", "text": "https://x"},
                ],
            }
        ],
    }
