// The mill's controller.
use std::time::Duration;

// ANCHOR: setup
fn setup() -> Duration {
    Duration::from_secs(3)
}
// ANCHOR_END: setup

// ANCHOR: main_loop
fn main() {
    let tick = setup();
    loop {
        std::thread::sleep(tick);
    }
}
// ANCHOR_END: main_loop
