"""The journey: a LangGraph state machine with a confirmation (interrupt) at every profile-changing step."""
