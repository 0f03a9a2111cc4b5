# my-agent — the commands a person runs. `make help` lists them.

COMPOSE ?= docker compose
API_URL ?= http://127.0.0.1:3333
CARGO ?= cargo

.PHONY: help up down logs run migrate test lint docker-check openapi conformance soak bench bench-scale bench-login

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-14s %s\n", $$1, $$2}'

up: ## Build and start api + postgres in Docker, then wait until /ready answers
	$(COMPOSE) up --build -d
	@echo "waiting for $(API_URL)/ready ..."
	@for i in $$(seq 1 120); do \
		if curl -fsS $(API_URL)/ready >/dev/null 2>&1; then echo "my-agent is ready on $(API_URL)"; exit 0; fi; \
		sleep 1; \
	done; echo "my-agent did not become ready; see 'make logs'"; exit 1

down: ## Stop the containers (the database volume is kept)
	$(COMPOSE) down

logs: ## Follow the API's logs
	$(COMPOSE) logs -f api

run: ## Run the API natively against DATABASE_URL (migrates first)
	$(CARGO) run -p api --bin my-agent -- migrate
	$(CARGO) run -p api --bin my-agent -- serve

migrate: ## Apply pending migrations to DATABASE_URL
	$(CARGO) run -p api --bin my-agent -- migrate

test: ## Run every test against a real PostgreSQL (found or started by the harness)
	$(CARGO) test --workspace --all-targets
	@echo "== the finances tests again, against the finances service (crates/finances-service)"
	MY_AGENT_FINANCES_TARGET=service $(CARGO) test -p finances --tests

lint: ## Formatting, clippy (warnings denied) and layer boundaries
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings
	bash scripts/check-boundaries.sh

openapi: ## Regenerate docs/openapi.json from the served document (review the diff)
	UPDATE_OPENAPI=1 $(CARGO) test -p api --test openapi_contract the_served_document_is_the_committed_one

conformance: ## Schemathesis against the real server and the served OpenAPI document (installs it with pip)
	bash scripts/schemathesis.sh

soak: ## Mixed traffic from several users for SOAK_MINUTES (default 10) against a release build
	$(CARGO) build --release -p api
	python3 scripts/soak.py --minutes $(or $(SOAK_MINUTES),10)

bench: ## Load benchmark: release build, seeded database, wrk + pgbench per endpoint, one table (docs/PERFORMANCE.md)
	$(CARGO) build --release -p api --bin my-agent
	python3 bench/bench.py run

bench-scale: ## The list endpoint at 10^4/10^6/10^7 rows and page 1 vs page 1,000 (about 15 min)
	$(CARGO) build --release -p api --bin my-agent
	python3 bench/bench.py scale

bench-login: ## One login's p50, and the list's p99 while 8 clients log in
	$(CARGO) build --release -p api --bin my-agent
	python3 bench/bench.py login

docker-check: ## Validate the Docker files without a Docker engine
	bash scripts/check-docker.sh
