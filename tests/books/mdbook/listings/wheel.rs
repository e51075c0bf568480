// ANCHOR: speed
/// The wheel's speed in turns per minute, for a flow in litres a second.
pub fn turns_per_minute(flow: f64) -> f64 {
    flow * 1.5
}
// ANCHOR_END: speed
