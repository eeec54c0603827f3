"""Inventory API."""

from fastapi import FastAPI

app = FastAPI(title="inventory")

ITEMS = {1: "hammer", 2: "anvil"}


@app.get("/")
def root() -> dict[str, str]:
    return {"service": "inventory"}


@app.get("/items/{item_id}")
def item(item_id: int) -> dict[str, object]:
    return {"id": item_id, "name": ITEMS.get(item_id)}
