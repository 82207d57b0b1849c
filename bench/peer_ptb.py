"""The peer in `cargo bench --bench peer`: the same two jobs done with python-telegram-bot,
written as its documentation shows, with its defaults.

    python peer_ptb.py inbound API_URL MEMBERS_JSON
        Long polling; `/me` answers with the profile of the chat's member (read from
        MEMBERS_JSON: {"chat id": "profile text"}), until killed.

    python peer_ptb.py broadcast API_URL CHATS_JSON TEXT
        Sends TEXT to every chat of CHATS_JSON ([chat ids]) at once through AIORateLimiter
        (its defaults: 30 a second overall, 20 a minute per group, no retries), prints
        {"ok": n, "failed": n} and exits.

API_URL is the Bot API root (`http://127.0.0.1:PORT/`); the token is fixed.
"""

import asyncio
import json
import sys

from telegram import Update
from telegram.ext import AIORateLimiter, Application, CommandHandler, ContextTypes

TOKEN = "1:peer"


def inbound(api_url: str, members_path: str) -> None:
    with open(members_path, encoding="utf-8") as f:
        profiles = json.load(f)

    async def me(update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
        profile = profiles.get(str(update.effective_chat.id))
        if profile is None:
            await update.effective_message.reply_text("我还不认识你。")
        else:
            await update.effective_message.reply_text(profile)

    app = Application.builder().token(TOKEN).base_url(api_url + "bot").build()
    app.add_handler(CommandHandler("me", me))
    app.run_polling(allowed_updates=Update.ALL_TYPES)


async def broadcast(api_url: str, chats_path: str, text: str) -> None:
    with open(chats_path, encoding="utf-8") as f:
        chats = json.load(f)
    app = (
        Application.builder()
        .token(TOKEN)
        .base_url(api_url + "bot")
        .rate_limiter(AIORateLimiter())
        .build()
    )
    async with app:
        results = await asyncio.gather(
            *(app.bot.send_message(chat_id=c, text=text) for c in chats),
            return_exceptions=True,
        )
    failed = sum(1 for r in results if isinstance(r, BaseException))
    print(json.dumps({"ok": len(results) - failed, "failed": failed}), flush=True)


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "inbound":
        inbound(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 5 and sys.argv[1] == "broadcast":
        asyncio.run(broadcast(sys.argv[2], sys.argv[3], sys.argv[4]))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
