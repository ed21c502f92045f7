"""Child process for the store's durability tests: saves answers and prints each prompt id only after
save_answer has returned (that is, after the commit). Usage: writer.py DB RUN_ID PREFIX COUNT [BUSY_TIMEOUT]"""
import sys

from app.store import Store


def main() -> None:
    path, run_id, prefix, count = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
    timeout = float(sys.argv[5]) if len(sys.argv) > 5 else 10.0
    store = Store.open(path, busy_timeout=timeout, auto_backup=False)
    print("ready", flush=True)
    for i in range(count):
        prompt = f"{prefix}{i}"
        store.save_answer(run_id, prompt, f"answer {i}", note="n", how_known="seen", by=f"writer {prefix}")
        print(prompt, flush=True)
    store.close()


if __name__ == "__main__":
    main()
