using Hangfire;
using Hangfire.Common;
using Hangfire.States;

namespace FunAd.Tests.Support;

/// <summary>A Hangfire client that records what would be queued or deleted, so jobs can be run by the test itself.</summary>
public sealed class RecordingJobClient : IBackgroundJobClient
{
    public List<(string Id, Job Job)> Created { get; } = [];
    public List<string> Deleted { get; } = [];

    /// <summary>The queue each created job was put on, in order.</summary>
    public List<string?> Queues { get; } = [];

    public string Create(Job job, IState state)
    {
        lock (Created)
        {
            var id = $"job-{Created.Count + 1}";
            Created.Add((id, job));
            Queues.Add((state as EnqueuedState)?.Queue);
            return id;
        }
    }

    public bool ChangeState(string jobId, IState state, string expectedState)
    {
        if (state is DeletedState) Deleted.Add(jobId);
        return true;
    }
}
