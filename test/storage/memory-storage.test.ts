import { MemoryStorage } from '../../src/storage/memory-storage.js';
import { storageSuite } from './storage-suite.js';

storageSuite('MemoryStorage', { create: async () => new MemoryStorage() });
