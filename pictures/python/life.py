"""The book's Game of Life (items 56-60) with 1 ms of I/O per cell, timed.

Each strategy runs one generation on grids of 100 to 100,000 cells, up to
the size where it still finishes in a few seconds, and prints one line per
run: strategy,cells,seconds. The course's scaling plot reads that file:

    python3 pictures/python/life.py > pictures/data/python-life.csv

Every strategy's grid is checked against the rules computed without I/O.
"""

import asyncio
import os
import platform
import random
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from queue import Queue
from threading import Lock, Thread

ALIVE = "*"
EMPTY = "-"
LATENCY = 0.001  # each cell's I/O, in seconds
WORKERS = 10  # of the pipeline and the pool

# (height, width): 100, 1,000, 10,000 and 100,000 cells, as in the Rust series.
SIZES = [(10, 10), (25, 40), (100, 100), (250, 400)]


class Grid:
    def __init__(self, height, width):
        self.height = height
        self.width = width
        self.rows = [[EMPTY] * width for _ in range(height)]

    def get(self, y, x):
        return self.rows[y % self.height][x % self.width]

    def set(self, y, x, state):
        self.rows[y % self.height][x % self.width] = state


class LockingGrid(Grid):
    """Item 57: the grid that threads share, behind a lock."""

    def __init__(self, height, width):
        super().__init__(height, width)
        self.lock = Lock()

    def get(self, y, x):
        with self.lock:
            return super().get(y, x)

    def set(self, y, x, state):
        with self.lock:
            return super().set(y, x, state)


def count_neighbors(y, x, get):
    offsets = [(-1, 0), (-1, 1), (0, 1), (1, 1), (1, 0), (1, -1), (0, -1), (-1, -1)]
    return sum(get(y + dy, x + dx) == ALIVE for dy, dx in offsets)


def rules(state, neighbors):
    if state == ALIVE:
        return ALIVE if neighbors in (2, 3) else EMPTY
    return ALIVE if neighbors == 3 else EMPTY


def game_logic(state, neighbors, latency=LATENCY):
    time.sleep(latency)  # the blocking I/O the book leaves as a comment
    return rules(state, neighbors)


def step_cell(y, x, get, set, latency=LATENCY):
    state = get(y, x)
    neighbors = count_neighbors(y, x, get)
    set(y, x, game_logic(state, neighbors, latency))


def cells(grid):
    return [(y, x) for y in range(grid.height) for x in range(grid.width)]


def simulate(grid, latency=LATENCY):
    """Item 56: one cell after another."""
    next_grid = Grid(grid.height, grid.width)
    for y, x in cells(grid):
        step_cell(y, x, grid.get, next_grid.set, latency)
    return next_grid


def simulate_threaded(grid):
    """Item 57: a new thread per cell."""
    next_grid = LockingGrid(grid.height, grid.width)
    threads = [Thread(target=step_cell, args=(y, x, grid.get, next_grid.set)) for y, x in cells(grid)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return next_grid


class ClosableQueue(Queue):
    SENTINEL = object()

    def close(self):
        self.put(self.SENTINEL)

    def __iter__(self):
        while True:
            item = self.get()
            try:
                if item is self.SENTINEL:
                    return
                yield item
            finally:
                self.task_done()


def game_logic_worker(in_queue, out_queue):
    for y, x, state, neighbors in in_queue:
        out_queue.put((y, x, game_logic(state, neighbors)))


def simulate_pipeline(grid):
    """Item 58: long-lived workers fed through queues."""
    in_queue, out_queue = ClosableQueue(), ClosableQueue()
    workers = [Thread(target=game_logic_worker, args=(in_queue, out_queue)) for _ in range(WORKERS)]
    for worker in workers:
        worker.start()
    for y, x in cells(grid):
        in_queue.put((y, x, grid.get(y, x), count_neighbors(y, x, grid.get)))
    in_queue.join()
    out_queue.close()
    next_grid = Grid(grid.height, grid.width)
    for y, x, state in out_queue:
        next_grid.set(y, x, state)
    for _ in workers:
        in_queue.close()
    for worker in workers:
        worker.join()
    return next_grid


def simulate_pool(grid):
    """Item 59: a ThreadPoolExecutor of WORKERS threads."""
    next_grid = LockingGrid(grid.height, grid.width)
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        futures = [pool.submit(step_cell, y, x, grid.get, next_grid.set) for y, x in cells(grid)]
        for future in futures:
            future.result()
    return next_grid


async def game_logic_async(state, neighbors):
    await asyncio.sleep(LATENCY)
    return rules(state, neighbors)


async def step_cell_async(y, x, get, set):
    state = get(y, x)
    neighbors = count_neighbors(y, x, get)
    set(y, x, await game_logic_async(state, neighbors))


async def simulate_async(grid):
    """Item 60: a coroutine per cell, gathered."""
    next_grid = Grid(grid.height, grid.width)
    await asyncio.gather(*(step_cell_async(y, x, grid.get, next_grid.set) for y, x in cells(grid)))
    return next_grid


# (name as the plot spells it, function, largest grid in cells)
STRATEGIES = [
    ("serial", simulate, 1_000),
    ("thread per cell", simulate_threaded, 10_000),
    ("pipeline(10)", simulate_pipeline, 10_000),
    ("pool(10)", simulate_pool, 10_000),
    ("coroutines", lambda grid: asyncio.run(simulate_async(grid)), 100_000),
]


def soup(height, width, seed=1):
    rng = random.Random(seed)
    grid = Grid(height, width)
    for y in range(height):
        for x in range(width):
            if rng.random() < 0.3:
                grid.set(y, x, ALIVE)
    return grid


def main():
    print("strategy,cells,seconds")
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"# Python {platform.python_version()} on {platform.system()} {platform.machine()}, "
          f"{os.cpu_count()} cores, {time.strftime('%Y-%m-%d')}, load average {load:.1f} at the start")
    for height, width in SIZES:
        grid = soup(height, width)
        expected = simulate(grid, latency=0).rows
        for name, run, largest in STRATEGIES:
            if height * width > largest:
                continue
            start = time.perf_counter()
            result = run(grid)
            elapsed = time.perf_counter() - start
            if result.rows != expected:
                sys.exit(f"{name} disagrees with the rules on {height * width} cells")
            print(f"{name},{height * width},{elapsed:.6f}", flush=True)


if __name__ == "__main__":
    main()
