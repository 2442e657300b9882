//! Passing the message on unchanged: a hop that only approves (legal sign-off, a manager's
//! "looks good") and changes nothing.

use super::{Applied, Context, Definition, Edit, Stream};
use crate::text::Text;

/// `approve` in the registry.
pub const DEFINITION: Definition = Definition {
    name: "approve",
    summary: "passes the message on unchanged",
    text_param: None,
    number_params: &[],
    apply: run,
};

fn run(_: &mut Text, _: &Applied, _: &Context, _: &mut Stream) -> Vec<Edit> {
    Vec::new()
}
