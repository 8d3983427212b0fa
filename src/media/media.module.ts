import { Module } from '@nestjs/common';
import { LocalMediaStorage } from './local-media-storage';
import { MediaController } from './media.controller';
import { MediaStorage } from './media-storage';
import './media.config';

/**
 * Uploaded media behind the MediaStorage interface (local disk under
 * MEDIA_DIR today), served under /media/. Swap the provider for an object store.
 */
@Module({
  controllers: [MediaController],
  providers: [{ provide: MediaStorage, useClass: LocalMediaStorage }],
  exports: [MediaStorage],
})
export class MediaModule {}
