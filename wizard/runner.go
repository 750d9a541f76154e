package wizard

import "context"

// Runner performs the effects the wizard emits and answers with their
// results. Long effects report progress (a FenceProgress) through progress
// before their final result. Front ends wrap the result in a Reply with the
// effect's Seq.
type Runner interface {
	Run(ctx context.Context, work Work, progress func(Result)) Result
}
