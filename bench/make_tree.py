"""Writes a source tree for bench/lint.sh: FILES files in folders of 50,
Python and TypeScript in turn, one in FRACTION mentioning OpenAI (a client,
a .env load, variables), the rest ordinary code; every 500th with a trap."""

import os
import sys

root, files = sys.argv[1], int(sys.argv[2])
fraction = int(os.environ.get("FRACTION", "10"))

PLAIN_PY = '''import json
import os


def load(path):
    with open(path) as f:
        return json.load(f)


def total(items):
    return sum(item["price"] * item["count"] for item in items)


class Cart:
    def __init__(self, items):
        self.items = items

    def checkout(self):
        return {"total": total(self.items), "user": os.environ.get("USER")}
'''
OPENAI_PY = '''import os

from dotenv import load_dotenv
from openai import OpenAI

load_dotenv()
client = OpenAI()


def ask(question):
    reply = client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": question}])
    return reply.choices[0].message.content
'''
TRAP_PY = OPENAI_PY.replace("load_dotenv()\nclient = OpenAI()", "client = OpenAI()\nload_dotenv()")
PLAIN_TS = '''import { readFileSync } from "node:fs";

export interface Item { price: number; count: number }

export function total(items: Item[]): number {
  return items.reduce((sum, item) => sum + item.price * item.count, 0);
}

export function load(path: string): Item[] {
  return JSON.parse(readFileSync(path, "utf8"));
}
'''
OPENAI_TS = '''import "dotenv/config";
import OpenAI from "openai";

const client = new OpenAI();

export async function ask(question: string): Promise<string | null> {
  const reply = await client.chat.completions.create({ model: "gpt-4o", messages: [{ role: "user", content: question }] });
  return reply.choices[0].message.content;
}
'''
TRAP_TS = OPENAI_TS + 'process.env.OPENAI_API_KEY = process.env.SECRET ?? "";\n'

for i in range(files):
    folder = os.path.join(root, f"pkg{i // 50:04d}")
    os.makedirs(folder, exist_ok=True)
    python = i % 2 == 0
    if i % 500 == 0:
        text = TRAP_PY if python else TRAP_TS
    elif i % fraction == 0:
        text = OPENAI_PY if python else OPENAI_TS
    else:
        text = PLAIN_PY if python else PLAIN_TS
    with open(os.path.join(folder, f"m{i}.{'py' if python else 'ts'}"), "w") as f:
        f.write(text)
