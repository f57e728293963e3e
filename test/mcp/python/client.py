"""A third-party MCP client for Falconer's tests: the official Python SDK (mcp 1.x).

Connects to a server command over stdio, answers elicitation requests as told, makes the
given tool calls in order, and prints one JSON object: the elicitation prompts it saw and each
call's result. Usage: python client.py '<json config>'
  {"command": ..., "args": [...], "env": {...}, "elicit": "accept" | "decline", "calls": [{"name": ..., "arguments": {...}}]}
"""
import asyncio
import json
import sys

from mcp import ClientSession, StdioServerParameters, types
from mcp.client.stdio import stdio_client


async def run(cfg):
    prompts = []

    async def on_elicit(context, params):
        prompts.append(params.message)
        if cfg["elicit"] == "accept":
            return types.ElicitResult(action="accept", content={"apply": True})
        return types.ElicitResult(action="decline")

    server = StdioServerParameters(command=cfg["command"], args=cfg["args"], env=cfg["env"])
    results = []
    async with stdio_client(server) as (read, write):
        async with ClientSession(read, write, elicitation_callback=on_elicit) as session:
            init = await session.initialize()
            for call in cfg["calls"]:
                res = await session.call_tool(call["name"], call["arguments"])
                texts = [c.text for c in res.content if isinstance(c, types.TextContent)]
                results.append({"isError": bool(res.isError), "structuredContent": res.structuredContent, "text": texts})
    return {"server": init.serverInfo.name, "prompts": prompts, "results": results}


if __name__ == "__main__":
    print(json.dumps(asyncio.run(run(json.loads(sys.argv[1])))))
