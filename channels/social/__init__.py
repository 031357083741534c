"""Social accounts as channels: Facebook Pages and Instagram professional
accounts connected by their owners (a KIM, a Diskominfo office), posts sent
through the outbox, insights read back. See channels/README.md "Social"."""
