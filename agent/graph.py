"""The journey graph, wiring only: read -> (journey-wide | one node per step) -> write -> wait (interrupt)."""

from __future__ import annotations

from langgraph.graph import START, StateGraph
from langgraph.types import interrupt

from agent.context import Context
from agent.state import STEPS, JourneyState, Step
from agent.turns import read_input, route, run_journey_wide, run_step, write_output


def build_graph(ctx: Context, checkpointer):
    def wait(state: JourneyState) -> dict:
        return {"input": interrupt(state["output"])}

    def step_node(step: Step):
        return lambda state: run_step(ctx, state, step)

    builder = StateGraph(JourneyState)
    builder.add_node("read", lambda state: read_input(ctx, state))
    builder.add_node("journey", lambda state: run_journey_wide(ctx, state))
    for step in STEPS:
        builder.add_node(step.value, step_node(step))
    builder.add_node("write", lambda state: write_output(ctx, state))
    builder.add_node("wait", wait)
    builder.add_edge(START, "read")
    builder.add_conditional_edges("read", route, ["journey", *(s.value for s in STEPS)])
    for node in ("journey", *(s.value for s in STEPS)):
        builder.add_edge(node, "write")
    builder.add_edge("write", "wait")
    builder.add_edge("wait", "read")
    return builder.compile(checkpointer=checkpointer)
