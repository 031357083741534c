"""WhatsApp Business Cloud API template messages, shared by the apps that send
them (the fact-check tipline's late verdicts, the newsroom's dissemination)."""

from __future__ import annotations

PARAMETER_MAX = 1024


def template_parameter(text: str) -> str:
    """A template's text parameter: WhatsApp refuses new lines, tabs and more
    than four spaces in a row there, and more than 1,024 characters."""
    one_line = " ".join(text.split())
    if len(one_line) <= PARAMETER_MAX:
        return one_line
    return one_line[: PARAMETER_MAX - 1] + "…"


def template(name: str, language: str, parameters: list[str]) -> dict[str, object]:
    """The ``template`` object of a message with these body parameters."""
    return {
        "name": name,
        "language": {"code": language},
        "components": [
            {
                "type": "body",
                "parameters": [
                    {"type": "text", "text": template_parameter(p)} for p in parameters
                ],
            }
        ],
    }
