//! Argon2id password hashing on a few dedicated threads, a bounded number at a
//! time, so a login storm queues instead of starving the async workers.
//!
//! Each thread owns one Argon2 memory buffer (`memory_kib` KiB), allocated
//! on its first hash and reused for every later hash and verification (an
//! idle server holds none).
//! Allocating the 19 MiB per hash (what `argon2`'s `hash_password` and
//! `verify_password` do) made glibc's RSS climb by up to one buffer per hash
//! until it levelled off in the hundreds of MiB: once the first free raised
//! glibc's dynamic mmap threshold, the 64-byte-aligned buffers came from the
//! malloc heaps, which fragmented (docs/PERFORMANCE.md, "Password hashing
//! memory"). Now hashing memory is at most `concurrency` buffers,
//! for the process's lifetime.

use crate::application::PasswordHasher;
use crate::domain::Password;
use argon2::password_hash::phc::{Output, ParamsString, PasswordHash, Salt};
use argon2::password_hash::try_generate_salt;
use argon2::{Algorithm, Argon2, Block, Params, Version};
use kernel::ApiError;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex, PoisonError};
use tokio::sync::{Semaphore, oneshot};

/// Argon2id cost parameters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HashParams {
    /// Memory in KiB (OWASP minimum for Argon2id: 19 MiB = 19456).
    pub memory_kib: u32,
    /// Passes over memory (OWASP: 2).
    pub iterations: u32,
    /// Lanes (OWASP: 1).
    pub parallelism: u32,
}

impl Default for HashParams {
    fn default() -> Self {
        Self {
            memory_kib: 19_456,
            iterations: 2,
            parallelism: 1,
        }
    }
}

/// Verified against when the account does not exist, so that costs the same.
const DUMMY_PASSWORD: &[u8] = b"not a password anyone has; only here to spend time";

/// Argon2id behind [`PasswordHasher`].
#[derive(Clone)]
pub struct Argon2Hasher {
    /// One permit per hashing thread; held by a job until it has run, so a job
    /// sent always finds a thread and waiting happens here, in FIFO order.
    permits: Arc<Semaphore>,
    /// The threads stop once every clone of this sender is dropped.
    jobs: Arc<Sender<Job>>,
    dummy: Arc<str>,
}

/// Work for a hashing thread, run with that thread's reusable memory.
type Job = Box<dyn FnOnce(&mut Worker) + Send>;

/// What a hashing thread owns.
struct Worker {
    /// The configured Argon2id instance, used for new hashes.
    argon: Argon2<'static>,
    /// Argon2 memory: the configured number of blocks, grown (and kept) only
    /// to verify a stored hash made at a higher memory cost.
    memory: Vec<Block>,
}

impl Argon2Hasher {
    /// A hasher with these parameters on `concurrency` threads (at least one),
    /// each holding `params.memory_kib` KiB from its first hash on.
    pub fn new(params: HashParams, concurrency: usize) -> anyhow::Result<Self> {
        let params = Params::new(
            params.memory_kib,
            params.iterations,
            params.parallelism,
            None,
        )
        .map_err(|e| anyhow::anyhow!("invalid Argon2 parameters: {e}"))?;
        let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone());
        let threads = concurrency.max(1);
        let worker = || Worker {
            argon: argon.clone(),
            memory: Vec::new(),
        };
        // Its memory is returned to the system at once: this early, glibc
        // still maps a buffer this large on its own.
        let dummy = worker()
            .hash(DUMMY_PASSWORD)
            .map_err(|e| anyhow::anyhow!("hashing the dummy password: {e}"))?;
        let workers: Vec<Worker> = (0..threads).map(|_| worker()).collect();
        let (jobs, queue) = channel::<Job>();
        let queue = Arc::new(Mutex::new(queue));
        for (i, worker) in workers.into_iter().enumerate() {
            let queue = queue.clone();
            std::thread::Builder::new()
                .name(format!("argon2-{i}"))
                .spawn(move || run(&queue, worker))
                .map_err(|e| anyhow::anyhow!("starting a hashing thread: {e}"))?;
        }
        Ok(Self {
            permits: Arc::new(Semaphore::new(threads)),
            jobs: Arc::new(jobs),
            dummy: dummy.into(),
        })
    }

    /// Runs `work` on a hashing thread once one is free.
    async fn on_worker<T: Send + 'static>(
        &self,
        work: impl FnOnce(&mut Worker) -> T + Send + 'static,
    ) -> Result<T, ApiError> {
        let permit = self
            .permits
            .clone()
            .acquire_owned()
            .await
            .map_err(|e| ApiError::internal(anyhow::anyhow!("hasher closed: {e}")))?;
        let (reply, answer) = oneshot::channel();
        let job: Job = Box::new(move |worker| {
            // Nobody is waiting any more (the request was dropped): skip the
            // work; the permit goes with the closure.
            if reply.is_closed() {
                return;
            }
            let result = work(worker);
            // Released when the work is done, not when the caller stops
            // waiting, so at most `concurrency` hashes ever run; and before
            // the reply, so a caller that has its answer has its place back.
            drop(permit);
            let _ = reply.send(result);
        });
        self.jobs
            .send(job)
            .map_err(|_| ApiError::internal(anyhow::anyhow!("hashing threads stopped")))?;
        answer
            .await
            .map_err(|_| ApiError::internal(anyhow::anyhow!("hashing job failed")))
    }
}

/// A hashing thread: runs jobs until every sender is dropped.
fn run(queue: &Mutex<Receiver<Job>>, mut worker: Worker) {
    loop {
        let job = {
            let queue = queue.lock().unwrap_or_else(PoisonError::into_inner);
            queue.recv()
        };
        let Ok(job) = job else { return };
        // A panicking job drops its reply (the caller gets an error) and its
        // permit; the thread and its memory stay for the next job.
        if catch_unwind(AssertUnwindSafe(|| job(&mut worker))).is_err() {
            tracing::error!("password hashing job panicked");
        }
    }
}

impl Worker {
    /// Makes `memory` at least `blocks` long, failing instead of aborting.
    fn reserve(&mut self, blocks: usize) -> Result<(), std::collections::TryReserveError> {
        if self.memory.len() < blocks {
            self.memory.try_reserve_exact(blocks - self.memory.len())?;
            self.memory.resize(blocks, Block::new());
        }
        Ok(())
    }

    /// A PHC string of `password` with a fresh random salt.
    fn hash(&mut self, password: &[u8]) -> anyhow::Result<String> {
        let salt = try_generate_salt().map_err(|e| anyhow::anyhow!("no random salt: {e}"))?;
        self.hash_with_salt(password, &salt)
    }

    /// The same PHC string as `argon2`'s `hash_password_with_salt`, computed in
    /// this thread's memory.
    fn hash_with_salt(&mut self, password: &[u8], salt: &[u8]) -> anyhow::Result<String> {
        self.reserve(self.argon.params().block_count())
            .map_err(|e| anyhow::anyhow!("allocating Argon2 memory: {e}"))?;
        let argon = &self.argon;
        let params = argon.params();
        let mut buffer = [0u8; Output::MAX_LENGTH];
        let out = buffer
            .get_mut(..params.output_len().unwrap_or(Params::DEFAULT_OUTPUT_LEN))
            .ok_or_else(|| anyhow::anyhow!("Argon2 output too long"))?;
        argon
            .hash_password_into_with_memory(password, salt, out, &mut self.memory)
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        let hash = PasswordHash {
            algorithm: Algorithm::Argon2id.ident(),
            version: Some(Version::V0x13.into()),
            params: ParamsString::try_from(params).map_err(|e| anyhow::anyhow!("{e}"))?,
            salt: Some(Salt::new(salt).map_err(|e| anyhow::anyhow!("{e}"))?),
            hash: Some(Output::new(out).map_err(|e| anyhow::anyhow!("{e}"))?),
        };
        Ok(hash.to_string())
    }

    /// Whether `password` matches `hash`, with the hash's own algorithm,
    /// version, parameters and salt (what `argon2`'s `verify_password` does),
    /// computed in this thread's memory; the outputs compare in constant time.
    /// A hash this cannot check (missing salt or output, unknown algorithm or
    /// version, invalid parameters) does not match, as before.
    fn verify(&mut self, password: &[u8], hash: &PasswordHash) -> bool {
        let (Some(salt), Some(expected)) = (&hash.salt, &hash.hash) else {
            return false;
        };
        let Ok(algorithm) = Algorithm::try_from(hash.algorithm.as_str()) else {
            return false;
        };
        let Ok(version) = hash.version.map(Version::try_from).transpose() else {
            return false;
        };
        let Ok(params) = Params::try_from(hash) else {
            return false;
        };
        if let Err(e) = self.reserve(params.block_count()) {
            tracing::error!(error = %e, "no memory to verify a password hash");
            return false;
        }
        let argon = Argon2::new(algorithm, version.unwrap_or_default(), params);
        let mut buffer = [0u8; Output::MAX_LENGTH];
        let Some(out) = buffer.get_mut(..expected.len()) else {
            return false;
        };
        argon
            .hash_password_into_with_memory(password, salt, out, &mut self.memory)
            .is_ok()
            && Output::new(out).is_ok_and(|computed| computed == *expected)
    }
}

#[async_trait::async_trait]
impl PasswordHasher for Argon2Hasher {
    async fn hash(&self, password: &Password) -> Result<String, ApiError> {
        let secret = password.expose().to_owned();
        self.on_worker(move |worker| {
            worker
                .hash(secret.as_bytes())
                .map_err(|e| ApiError::internal(e.context("hashing a password")))
        })
        .await?
    }

    async fn verify(&self, attempt: &str, hash: Option<&str>) -> Result<bool, ApiError> {
        let known = hash.is_some();
        let hash = hash.map_or_else(|| self.dummy.to_string(), str::to_owned);
        let attempt = attempt.to_owned();
        let matches = self
            .on_worker(move |worker| {
                let parsed = PasswordHash::new(&hash).map_err(|e| {
                    ApiError::internal(anyhow::anyhow!("stored hash unreadable: {e}"))
                })?;
                Ok::<bool, ApiError>(worker.verify(attempt.as_bytes(), &parsed))
            })
            .await??;
        Ok(known && matches)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Email;
    use argon2::password_hash::{PasswordHasher as _, PasswordVerifier as _};

    /// Cheap parameters so the tests are quick; the code paths are the same.
    const CHEAP: HashParams = HashParams {
        memory_kib: 64,
        iterations: 1,
        parallelism: 1,
    };

    fn password(raw: &str) -> Password {
        let email = Email::parse("hasher@example.com").unwrap();
        Password::new(raw, &email).unwrap()
    }

    #[tokio::test]
    async fn a_hash_verifies_and_a_wrong_password_does_not() {
        let hasher = Argon2Hasher::new(HashParams::default(), 1).unwrap();
        let hash = hasher
            .hash(&password("correct horse battery staple"))
            .await
            .unwrap();
        assert!(
            hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{hash}"
        );
        assert!(
            hasher
                .verify("correct horse battery staple", Some(&hash))
                .await
                .unwrap()
        );
        assert!(
            !hasher
                .verify("correct horse battery stapler", Some(&hash))
                .await
                .unwrap()
        );
        // Plain argon2 agrees with what the reusable memory produced.
        let parsed = PasswordHash::new(&hash).unwrap();
        assert!(
            Argon2::default()
                .verify_password(b"correct horse battery staple", &parsed)
                .is_ok()
        );
    }

    #[tokio::test]
    async fn a_hash_from_the_plain_argon2_api_still_verifies() {
        let hasher = Argon2Hasher::new(CHEAP, 1).unwrap();
        // What the previous implementation stored: `Argon2::hash_password`,
        // here at the default (production) cost, which is more memory than
        // this hasher's buffer, and in Argon2i, another algorithm.
        let old = Argon2::new(Algorithm::Argon2id, Version::V0x13, Params::default())
            .hash_password(b"an old password")
            .unwrap()
            .to_string();
        let argon2i = Argon2::new(Algorithm::Argon2i, Version::V0x13, Params::default())
            .hash_password(b"an old password")
            .unwrap()
            .to_string();
        for hash in [&old, &argon2i] {
            assert!(hasher.verify("an old password", Some(hash)).await.unwrap());
            assert!(!hasher.verify("a new password", Some(hash)).await.unwrap());
        }
        // The memory grown for them still computes cheap hashes correctly.
        let new = hasher
            .hash(&password("a brand new password"))
            .await
            .unwrap();
        assert!(
            hasher
                .verify("a brand new password", Some(&new))
                .await
                .unwrap()
        );
        assert!(hasher.verify("an old password", Some(&old)).await.unwrap());
    }

    #[test]
    fn the_phc_string_is_the_one_argon2_would_write() {
        let params =
            Params::new(CHEAP.memory_kib, CHEAP.iterations, CHEAP.parallelism, None).unwrap();
        let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, params);
        let mut worker = Worker {
            argon: argon.clone(),
            memory: vec![Block::new(); 64],
        };
        let salt = b"sixteen byte slt";
        for _ in 0..2 {
            // The second round runs in memory left dirty by the first.
            assert_eq!(
                worker.hash_with_salt(b"pw", salt).unwrap(),
                argon
                    .hash_password_with_salt(b"pw", salt)
                    .unwrap()
                    .to_string()
            );
        }
    }

    #[tokio::test]
    async fn an_unknown_account_never_matches() {
        let hasher = Argon2Hasher::new(CHEAP, 1).unwrap();
        assert!(!hasher.verify("anything", None).await.unwrap());
        let dummy = hasher.dummy.to_string();
        assert!(!hasher.verify("anything", Some(&dummy)).await.unwrap());
        assert!(
            hasher
                .verify(std::str::from_utf8(DUMMY_PASSWORD).unwrap(), Some(&dummy))
                .await
                .unwrap()
        );
        assert!(
            hasher
                .verify("anything", Some("not a PHC string"))
                .await
                .is_err()
        );
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn more_callers_than_threads_all_complete() {
        let hasher = Argon2Hasher::new(CHEAP, 2).unwrap();
        let tasks: Vec<_> = (0..24)
            .map(|i| {
                let hasher = hasher.clone();
                tokio::spawn(async move {
                    let raw = format!("password number {i}");
                    let hash = hasher.hash(&password(&raw)).await.unwrap();
                    let right = hasher.verify(&raw, Some(&hash)).await.unwrap();
                    let wrong = hasher.verify("nope nope nope", Some(&hash)).await.unwrap();
                    (right, wrong)
                })
            })
            .collect();
        for task in tasks {
            assert_eq!(task.await.unwrap(), (true, false));
        }
        // Every permit came back: nothing is left running.
        assert_eq!(hasher.permits.available_permits(), 2);
    }

    #[tokio::test]
    async fn a_dropped_caller_frees_its_place() {
        let hasher = Argon2Hasher::new(CHEAP, 1).unwrap();
        let hash = hasher.hash(&password("first password here")).await.unwrap();
        for _ in 0..8 {
            // Polled once (so it may hold the permit), then abandoned.
            let pending = hasher.verify("first password here", Some(&hash));
            let _ = tokio::time::timeout(std::time::Duration::ZERO, pending).await;
        }
        assert!(
            hasher
                .verify("first password here", Some(&hash))
                .await
                .unwrap()
        );
    }

    #[test]
    fn a_thread_stops_when_the_senders_are_gone() {
        let params =
            Params::new(CHEAP.memory_kib, CHEAP.iterations, CHEAP.parallelism, None).unwrap();
        let worker = Worker {
            argon: Argon2::new(Algorithm::Argon2id, Version::V0x13, params),
            memory: vec![Block::new(); 64],
        };
        let (jobs, queue) = channel::<Job>();
        let (done, finished) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            run(&Mutex::new(queue), worker);
            done.send(()).unwrap();
        });
        let (reply, answer) = std::sync::mpsc::channel();
        jobs.send(Box::new(|_| panic!("a job that panics")))
            .unwrap();
        jobs.send(Box::new(move |worker| {
            reply.send(worker.hash(b"after the panic").is_ok()).unwrap();
        }))
        .unwrap();
        // The panic did not take the thread down.
        assert!(
            answer
                .recv_timeout(std::time::Duration::from_secs(30))
                .unwrap()
        );
        drop(jobs);
        finished
            .recv_timeout(std::time::Duration::from_secs(30))
            .expect("the thread returns once the sender is dropped");
    }
}
