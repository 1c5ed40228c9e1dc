using Ravada.TestSupport;

namespace Ravada.Back.Tests.Support;

[CollectionDefinition(nameof(BackEnd), DisableParallelization = true)]
public sealed class BackEnd : ICollectionFixture<BackEndBed>;
