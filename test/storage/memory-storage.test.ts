import { MemoryStorage } from '../../src/storage/memory-storage.js';
import { RetryingStorage } from '../../src/storage/retrying-storage.js';
import { storageSuite } from './storage-suite.js';

storageSuite('MemoryStorage', { create: async () => new MemoryStorage(), stagesUntilFlush: true });

// The retrying wrapper is what every command uses: it must keep the contract, interruptions included.
storageSuite('RetryingStorage over MemoryStorage', { create: async () => new RetryingStorage(new MemoryStorage()), stagesUntilFlush: true });
